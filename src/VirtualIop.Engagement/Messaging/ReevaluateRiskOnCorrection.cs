using MassTransit;
using VirtualIop.Contracts.Attendance;
using VirtualIop.Engagement.Data;
using VirtualIop.Engagement.Domain;

namespace VirtualIop.Engagement.Messaging;

/// <summary>A corrected outcome replaces what the service knew and re-evaluates: a no-show corrected to present lowers the risk.</summary>
public sealed class ReevaluateRiskOnCorrection(EngagementRisks risks) : IConsumer<AttendanceCorrected>
{
    /// <summary>The inbox key this consumer's processed events are stored under; stored rows depend on it never changing.</summary>
    public const string InboxKey = "ReevaluateRiskOnCorrection";

    public Task Consume(ConsumeContext<AttendanceCorrected> context)
    {
        var m = context.Message;
        EventGuard.RequireIds(nameof(AttendanceCorrected), m.EventId, m.ClinicId, m.PatientId, m.SessionId);
        var report = OutcomeReport.Correction(m.ClinicId, m.PatientId, m.SessionId, m.Outcome, m.ReasonCategory, m.CorrectedAt)
            ?? throw new InvalidOperationException($"AttendanceCorrected {m.EventId} has an outcome this service does not know.");
        return risks.Record(m, InboxKey, report, context.CancellationToken);
    }
}
