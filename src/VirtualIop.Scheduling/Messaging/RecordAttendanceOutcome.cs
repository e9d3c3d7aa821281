using MassTransit;
using VirtualIop.Contracts.Attendance;
using VirtualIop.Scheduling.Data;
using VirtualIop.Scheduling.Domain.Fhir;

namespace VirtualIop.Scheduling.Messaging;

/// <summary>
/// Keeps Scheduling's copy of each patient's attendance outcome for the FHIR views (Appointment noshow/fulfilled,
/// Encounter): a check-in, a no-show, a notice ahead of the session and a clinician's correction each set the outcome
/// as of when Attendance decided it.
/// </summary>
public sealed class RecordAttendanceOutcome(AttendanceOutcomes outcomes)
    : IConsumer<SessionAttended>, IConsumer<SessionMissed>, IConsumer<AbsenceNotified>, IConsumer<AttendanceCorrected>
{
    /// <summary>The inbox key this consumer's deliveries are stored under; stored rows depend on it, so it never changes.</summary>
    public const string InboxKey = "RecordAttendanceOutcome";

    public Task Consume(ConsumeContext<SessionAttended> context)
    {
        var m = context.Message;
        return outcomes.Record(m, m.SessionId, m.PatientId, AttendanceOutcome.Attended, m.CheckedInAt, m.CheckedInAt, InboxKey, context.CancellationToken);
    }

    public Task Consume(ConsumeContext<SessionMissed> context)
    {
        var m = context.Message;
        return outcomes.Record(m, m.SessionId, m.PatientId, AttendanceOutcome.NoShow, m.DetectedAt, null, InboxKey, context.CancellationToken);
    }

    public Task Consume(ConsumeContext<AbsenceNotified> context)
    {
        var m = context.Message;
        return outcomes.Record(m, m.SessionId, m.PatientId, AttendanceOutcomeRules.FromNotice(m.Excused), m.NotifiedAt, null, InboxKey,
            context.CancellationToken);
    }

    /// <summary>An outcome this service does not know yet (a newer Attendance) leaves the kept one as it is.</summary>
    public Task Consume(ConsumeContext<AttendanceCorrected> context)
    {
        var m = context.Message;
        return AttendanceOutcomeRules.FromAttendance(m.Outcome) is { } outcome
            ? outcomes.Record(m, m.SessionId, m.PatientId, outcome, m.CorrectedAt, null, InboxKey, context.CancellationToken)
            : Task.CompletedTask;
    }
}
