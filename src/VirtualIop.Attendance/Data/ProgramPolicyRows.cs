using VirtualIop.Attendance.Domain;
using VirtualIop.Attendance.Extensions;

namespace VirtualIop.Attendance.Data;

/// <summary>
/// How a program's policy is read: what the program left unset (null) is the service's configured default, and a
/// session outside any program, or in a program without a policy, is held to the defaults alone.
/// </summary>
static class ProgramPolicyRows
{
    public const string Columns = """
        window_days, min_attendance_percent, max_excused_absences, max_unexcused_absences, makeup_cancels_absence,
        late_after_minutes, partial_below_percent, notice_hours, excused_reasons, phase_starts_at
        """;

    public static PolicySettings ToSettings(Row? row, AttendanceOptions defaults) => row is null
        ? PolicySettings.Default with { Presence = Presence(null, null, defaults), Notice = Notice(null, null, defaults) }
        : new PolicySettings(row.WindowDays, row.MinAttendancePercent, row.MaxExcusedAbsences, row.MaxUnexcusedAbsences, row.MakeupCancelsAbsence)
        {
            PhaseStartsAt = row.PhaseStartsAt,
            Presence = Presence(row.LateAfterMinutes, row.PartialBelowPercent, defaults),
            Notice = Notice(row.NoticeHours, row.ExcusedReasons, defaults)
        };

    public static PresenceThresholds Presence(int? lateAfterMinutes, int? partialBelowPercent, AttendanceOptions defaults) =>
        new(lateAfterMinutes is { } minutes ? TimeSpan.FromMinutes(minutes) : defaults.LateAfter, partialBelowPercent ?? defaults.PartialBelowPercent);

    public static NoticePolicy Notice(int? noticeHours, string[]? excusedReasons, AttendanceOptions defaults) =>
        new(noticeHours ?? defaults.NoticeHours, (excusedReasons ?? defaults.ExcusedReasons).Select(r => AttendanceOutcomes.ParseReason(r)!.Value).ToHashSet());

    public sealed class Row
    {
        public int WindowDays { get; set; }
        public decimal MinAttendancePercent { get; set; }
        public int MaxExcusedAbsences { get; set; }
        public int MaxUnexcusedAbsences { get; set; }
        public bool MakeupCancelsAbsence { get; set; }
        public int? LateAfterMinutes { get; set; }
        public int? PartialBelowPercent { get; set; }
        public int? NoticeHours { get; set; }
        public string[]? ExcusedReasons { get; set; }
        public DateTimeOffset? PhaseStartsAt { get; set; }
    }
}
