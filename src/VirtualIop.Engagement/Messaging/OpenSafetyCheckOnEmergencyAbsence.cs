using MassTransit;
using VirtualIop.Contracts.Attendance;
using VirtualIop.Engagement.Data;

namespace VirtualIop.Engagement.Messaging;

public sealed class OpenSafetyCheckOnEmergencyAbsence(SafetyChecks checks) : IConsumer<AbsenceNotified>
{
    /// <summary>The inbox key this consumer's processed events are stored under; stored rows depend on it never changing.</summary>
    public const string InboxKey = "OpenSafetyCheckOnEmergencyAbsence";

    public Task Consume(ConsumeContext<AbsenceNotified> context)
    {
        var m = context.Message;
        EventGuard.RequireIds(nameof(AbsenceNotified), m.EventId, m.ClinicId, m.PatientId, m.SessionId);
        return checks.OpenForAbsence(m, InboxKey, context.CancellationToken);
    }
}
