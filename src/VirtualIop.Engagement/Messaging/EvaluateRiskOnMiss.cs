using MassTransit;
using VirtualIop.Contracts.Attendance;
using VirtualIop.Engagement.Data;
using VirtualIop.Engagement.Domain;

namespace VirtualIop.Engagement.Messaging;

public sealed class EvaluateRiskOnMiss(EngagementRisks risks) : IConsumer<SessionMissed>
{
    /// <summary>The inbox key this consumer's processed events are stored under; stored rows depend on it never changing.</summary>
    public const string InboxKey = "EvaluateRiskOnMiss";

    public Task Consume(ConsumeContext<SessionMissed> context)
    {
        var m = context.Message;
        EventGuard.RequireIds(nameof(SessionMissed), m.EventId, m.ClinicId, m.PatientId, m.SessionId);
        return risks.Record(m, InboxKey, OutcomeReport.Missed(m.ClinicId, m.PatientId, m.SessionId, m.SessionStartsAt, m.TimeZone, m.DetectedAt), context.CancellationToken);
    }
}
