using MassTransit;
using VirtualIop.Contracts.Attendance;
using VirtualIop.Engagement.Data;
using VirtualIop.Engagement.Domain;

namespace VirtualIop.Engagement.Messaging;

public sealed class EvaluateRiskOnAbsenceNotice(EngagementRisks risks) : IConsumer<AbsenceNotified>
{
    /// <summary>The inbox key this consumer's processed events are stored under; stored rows depend on it never changing.</summary>
    public const string InboxKey = "EvaluateRiskOnAbsenceNotice";

    public Task Consume(ConsumeContext<AbsenceNotified> context)
    {
        var m = context.Message;
        EventGuard.RequireIds(nameof(AbsenceNotified), m.EventId, m.ClinicId, m.PatientId, m.SessionId);
        return risks.Record(m, InboxKey, OutcomeReport.Notice(m.ClinicId, m.PatientId, m.SessionId, m.SessionStartsAt, m.TimeZone, m.Excused, m.ReasonCategory, m.NotifiedAt), context.CancellationToken);
    }
}
