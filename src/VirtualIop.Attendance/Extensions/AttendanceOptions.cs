namespace VirtualIop.Attendance.Extensions;

public sealed class AttendanceOptions
{
    public const string SectionName = "Attendance";

    /// <summary>How long after a session ends a patient still pending is recorded as a no-show.</summary>
    public TimeSpan NoShowGrace { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How often the no-show sweep looks for sessions whose grace has passed.</summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Sessions one sweep pass claims; a full pass runs again at once.</summary>
    public int SweepBatchSize { get; set; } = 100;

    /// <summary>A first join later than this after the start is late.</summary>
    public TimeSpan LateAfter { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>A patient who left having attended less than this percentage of the session attended in part.</summary>
    public int PartialBelowPercent { get; set; } = 75;

    /// <summary>A notice given at least this many hours before the start is excused, whatever the reason.</summary>
    public int NoticeHours { get; set; } = 24;

    /// <summary>Reason categories excused whenever the notice comes (before the session ends).</summary>
    public string[] ExcusedReasons { get; set; } = ["illness", "emergency"];

    /// <summary>How often queued patients are evaluated against their program's policy.</summary>
    public TimeSpan PolicyEvaluationInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Patients one evaluation pass takes; a full pass runs again at once.</summary>
    public int PolicyEvaluationBatchSize { get; set; } = 200;

    /// <summary>
    /// How long a check-in, check-out or telehealth join/leave for a session not known yet is held for it to come; held
    /// marks older than this are purged. Longer than any delay of Scheduling's events, retries included.
    /// </summary>
    public TimeSpan PendingPresenceRetention { get; set; } = TimeSpan.FromDays(7);
}
