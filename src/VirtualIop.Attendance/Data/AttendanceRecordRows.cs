using Dapper;
using Npgsql;
using VirtualIop.Attendance.Domain;

namespace VirtualIop.Attendance.Data;

/// <summary>How an attendance record is read and written, shared by everything that decides one.</summary>
static class AttendanceRecordRows
{
    public const string Columns = """
        patient_id, outcome, checked_in_at, checked_out_at, decided_at, reason_category, notes, recorded_by, recorded_at, imported_minutes
        """;

    public static Task Save(NpgsqlConnection conn, NpgsqlTransaction tx, Guid clinicId, Guid sessionId, AttendanceRecord r, CancellationToken ct) =>
        conn.ExecuteAsync(new CommandDefinition("""
            update attendance_record
            set outcome = @Outcome, checked_in_at = @CheckedInAt, checked_out_at = @CheckedOutAt, decided_at = @DecidedAt,
                reason_category = @ReasonCategory, notes = @Notes, recorded_by = @RecordedBy, recorded_at = @RecordedAt
            where clinic_id = @Clinic and session_id = @SessionId and patient_id = @PatientId
            """,
            new
            {
                Clinic = clinicId, SessionId = sessionId, r.PatientId, Outcome = r.Outcome.Name(), r.CheckedInAt, r.CheckedOutAt, r.DecidedAt,
                ReasonCategory = r.ReasonCategory?.Name(), r.Notes, r.RecordedBy, r.RecordedAt
            }, tx, cancellationToken: ct));

    public sealed class Row
    {
        public Guid PatientId { get; set; }
        public string Outcome { get; set; } = "";
        public DateTimeOffset? CheckedInAt { get; set; }
        public DateTimeOffset? CheckedOutAt { get; set; }
        public DateTimeOffset? DecidedAt { get; set; }
        public string? ReasonCategory { get; set; }
        public string? Notes { get; set; }
        public string? RecordedBy { get; set; }
        public DateTimeOffset? RecordedAt { get; set; }
        /// <summary>Set on an imported record: the minutes the clinic's previous system recorded.</summary>
        public int? ImportedMinutes { get; set; }

        public AttendanceRecord ToRecord() => new(PatientId, AttendanceOutcomes.Parse(Outcome), CheckedInAt, CheckedOutAt, DecidedAt,
            AttendanceOutcomes.ParseReason(ReasonCategory), Notes, RecordedBy, RecordedAt);
    }
}
