using MassTransit;
using VirtualIop.Contracts.Attendance;
using VirtualIop.Engagement.Data;

namespace VirtualIop.Engagement.Messaging;

public sealed class AssignContinuityOnAbsenceNotice(ContinuityPackages packages) : IConsumer<AbsenceNotified>
{
    /// <summary>The inbox key this consumer's processed events are stored under; stored rows depend on it never changing.</summary>
    public const string InboxKey = "AssignContinuityOnAbsenceNotice";

    public Task Consume(ConsumeContext<AbsenceNotified> context)
    {
        var m = context.Message;
        EventGuard.RequireIds(nameof(AbsenceNotified), m.EventId, m.ClinicId, m.PatientId, m.SessionId);
        return packages.OpenForNotice(m, InboxKey, context.CancellationToken);
    }
}
