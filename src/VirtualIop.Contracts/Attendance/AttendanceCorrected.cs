namespace VirtualIop.Contracts.Attendance;

/// <summary>A clinician corrected an outcome (present, late, partial, excusedAbsence, unexcusedAbsence, noShow).</summary>
public sealed record AttendanceCorrected(
    Guid EventId,
    Guid ClinicId,
    Guid SessionId,
    Guid PatientId,
    string PreviousOutcome,
    string Outcome,
    string? ReasonCategory,
    DateTimeOffset CorrectedAt) : IIntegrationEvent
{
    /// <summary>
    /// Whether a correction to <paramref name="correctedOutcome"/> takes a miss back: the patient was there after all
    /// (present, late or partial), or their absence is now excused, so what the miss opened no longer applies. An
    /// unexcused absence, a no-show, or an outcome a consumer does not know keeps the miss. Attendance owns the outcome
    /// names, so the rule travels with its event rather than being restated by each consumer.
    /// </summary>
    public static bool UndoesMiss(string correctedOutcome) => correctedOutcome is "present" or "late" or "partial" or "excusedAbsence";
}
