namespace VirtualIop.Engagement.Domain;

/// <summary>
/// When a crisis calls for an urgent safety check, and what counts as the clinician acknowledging it. An absence (or a
/// corrected outcome) put down to an emergency opens one, as does a note a clinician flags as a crisis or the configured
/// pattern of silent no-shows at high risk; a safety check is acknowledged when it is assigned to someone
/// else than before, started or closed (a note alone does not acknowledge it).
/// </summary>
public static class SafetyCheckRules
{
    public const string EmergencyReason = "emergency";

    /// <summary>Trigger names as SafetyCheckOpened carries them.</summary>
    public const string EmergencyAbsence = "emergencyAbsence";

    public const string CrisisNote = "crisisNote";

    public const string SilentNoShowsAtHighRisk = "silentNoShowsAtHighRisk";

    /// <summary>
    /// The configured pattern: a patient already at high risk before the latest outcome whose latest
    /// <paramref name="silentNoShows"/> counted sessions (newest first in <paramref name="newestFirst"/>) are all misses
    /// without any reason given (no notice, no documented reason). 0 turns the pattern off.
    /// </summary>
    public static bool PatternCallsForSafetyCheck(RiskLevel levelBefore, IReadOnlyList<SessionOutcome> newestFirst, int silentNoShows) =>
        silentNoShows > 0
        && levelBefore == RiskLevel.High
        && newestFirst.Count >= silentNoShows
        && newestFirst.Take(silentNoShows).All(o => o is { Outcome: AttendanceOutcome.Missed, ReasonCategory: null });

    public static bool CallsForSafetyCheck(string? reasonCategory) => reasonCategory == EmergencyReason;

    public static bool Acknowledges(FollowUpKind kind, FollowUpStatus statusBefore, string? assigneeBefore, FollowUpStatus statusAfter, string? assigneeAfter) =>
        kind == FollowUpKind.SafetyCheck
        && FollowUpStateMachine.IsActive(statusBefore)
        && (statusAfter != statusBefore || (assigneeAfter is not null && assigneeAfter != assigneeBefore));
}
