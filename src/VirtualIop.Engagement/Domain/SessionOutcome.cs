namespace VirtualIop.Engagement.Domain;

/// <summary>
/// A session as far as the patient's engagement goes: attended, missed (a no-show or an unexcused absence), or an
/// excused absence. Excused absences do not count as misses, but they do count against the attendance rate and can
/// reveal a recurring slot conflict or a run of technical trouble.
/// </summary>
public enum AttendanceOutcome
{
    Attended,
    Missed,
    Excused
}

/// <param name="TimeZone">The session's IANA zone, for weekday/hour patterns; null when unknown (then UTC is used).</param>
/// <param name="ReasonCategory">The documented reason of an absence (technicalDifficulty, illness, ...), when known.</param>
public sealed record SessionOutcome(Guid SessionId, DateTimeOffset StartsAt, string? TimeZone, AttendanceOutcome Outcome, string? ReasonCategory);
