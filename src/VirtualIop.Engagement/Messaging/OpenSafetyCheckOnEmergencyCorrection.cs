using MassTransit;
using VirtualIop.Contracts.Attendance;
using VirtualIop.Engagement.Data;

namespace VirtualIop.Engagement.Messaging;

public sealed class OpenSafetyCheckOnEmergencyCorrection(SafetyChecks checks) : IConsumer<AttendanceCorrected>
{
    /// <summary>The inbox key this consumer's processed events are stored under; stored rows depend on it never changing.</summary>
    public const string InboxKey = "OpenSafetyCheckOnEmergencyCorrection";

    public Task Consume(ConsumeContext<AttendanceCorrected> context)
    {
        var m = context.Message;
        EventGuard.RequireIds(nameof(AttendanceCorrected), m.EventId, m.ClinicId, m.PatientId, m.SessionId);
        return checks.OpenForCorrection(m, InboxKey, context.CancellationToken);
    }
}
