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
    DateTimeOffset CorrectedAt) : IIntegrationEvent;
