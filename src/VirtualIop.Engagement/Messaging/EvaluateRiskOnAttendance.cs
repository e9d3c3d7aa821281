using MassTransit;
using VirtualIop.Contracts.Attendance;
using VirtualIop.Engagement.Data;
using VirtualIop.Engagement.Domain;

namespace VirtualIop.Engagement.Messaging;

public sealed class EvaluateRiskOnAttendance(EngagementRisks risks) : IConsumer<SessionAttended>
{
    /// <summary>The inbox key this consumer's processed events are stored under; stored rows depend on it never changing.</summary>
    public const string InboxKey = "EvaluateRiskOnAttendance";

    public Task Consume(ConsumeContext<SessionAttended> context)
    {
        var m = context.Message;
        EventGuard.RequireIds(nameof(SessionAttended), m.EventId, m.ClinicId, m.PatientId, m.SessionId);
        return risks.Record(m, InboxKey, OutcomeReport.Attended(m.ClinicId, m.PatientId, m.SessionId, m.CheckedInAt), context.CancellationToken);
    }
}
