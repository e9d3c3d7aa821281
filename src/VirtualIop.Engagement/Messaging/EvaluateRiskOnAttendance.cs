using MassTransit;
using VirtualIop.Contracts.Attendance;
using VirtualIop.Engagement.Data;
using VirtualIop.Engagement.Domain;

namespace VirtualIop.Engagement.Messaging;

public sealed class EvaluateRiskOnAttendance(EngagementRisks risks) : IConsumer<SessionAttended>
{
    public Task Consume(ConsumeContext<SessionAttended> context)
    {
        var m = context.Message;
        EventGuard.RequireIds(nameof(SessionAttended), m.EventId, m.ClinicId, m.PatientId, m.SessionId);
        return risks.Record(m, nameof(EvaluateRiskOnAttendance), OutcomeReport.Attended(m.ClinicId, m.PatientId, m.SessionId, m.CheckedInAt), context.CancellationToken);
    }
}
