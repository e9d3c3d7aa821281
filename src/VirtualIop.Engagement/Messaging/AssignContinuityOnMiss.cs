using MassTransit;
using VirtualIop.Contracts.Attendance;
using VirtualIop.Engagement.Data;

namespace VirtualIop.Engagement.Messaging;

public sealed class AssignContinuityOnMiss(ContinuityPackages packages) : IConsumer<SessionMissed>
{
    /// <summary>The inbox key this consumer's processed events are stored under; stored rows depend on it never changing.</summary>
    public const string InboxKey = "AssignContinuityOnMiss";

    public Task Consume(ConsumeContext<SessionMissed> context)
    {
        var m = context.Message;
        EventGuard.RequireIds(nameof(SessionMissed), m.EventId, m.ClinicId, m.PatientId, m.SessionId);
        return packages.OpenForMiss(m, InboxKey, context.CancellationToken);
    }
}
