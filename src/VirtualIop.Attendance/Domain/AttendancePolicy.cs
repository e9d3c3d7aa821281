namespace VirtualIop.Attendance.Domain;

/// <summary>
/// A program's attendance policy. Limits are what is still allowed: a patient with exactly MaxUnexcusedAbsences
/// unexcused absences in the window is within the policy, and the next one is a breach.
/// </summary>
/// <param name="WindowDays">The rolling window the limits look back over, ending now.</param>
/// <param name="MinAttendancePercent">The lowest share of decided sessions attended (present, late or partial) within policy.</param>
/// <param name="MakeupCancelsAbsence">A completed makeup takes the absence's weight away: it counts as attended.</param>
public sealed record PolicySettings(
    int WindowDays,
    decimal MinAttendancePercent,
    int MaxExcusedAbsences,
    int MaxUnexcusedAbsences,
    bool MakeupCancelsAbsence)
{
    public static readonly PolicySettings Default = new(28, 75m, 4, 2, true);

    /// <summary>
    /// When the program's current phase began. Once it has begun, the minimum attendance counts the sessions from this
    /// instant on (a session starting exactly then included) instead of the rolling window; before it, and when unset,
    /// the rolling window applies. The absence maxima always look back over the rolling window.
    /// </summary>
    public DateTimeOffset? PhaseStartsAt { get; init; }

    /// <summary>The program's late and partial thresholds.</summary>
    public PresenceThresholds Presence { get; init; } = PresenceThresholds.Default;

    /// <summary>The program's notice hours and always-excused reasons.</summary>
    public NoticePolicy Notice { get; init; } = NoticePolicy.Default;
}

public enum PolicyStatus
{
    GoodStanding,
    /// <summary>One more absence would breach a limit: the patient and clinician are warned now, before it happens.</summary>
    AtRisk,
    InBreach
}

/// <summary>A session's outcome as the policy weighs it.</summary>
public sealed record SessionOutcome(DateTimeOffset StartsAt, AttendanceOutcome Outcome, bool MadeUp = false);

/// <param name="AbsencesToBreach">How many more absences breach this rule (0 when already in breach; null when none can).</param>
public sealed record RuleStanding(string Rule, PolicyStatus Status, decimal Current, decimal Limit, int? AbsencesToBreach);

/// <summary>
/// The excused absences the policy allows in its window, how many the patient has used and how many remain: what a
/// patient is told in plain words before they give notice.
/// </summary>
public sealed record ExcusedAbsences(int Allowed, int Used, int Remaining)
{
    /// <summary>Read from an evaluated standing's rules; null when they hold no excused-absence rule.</summary>
    public static ExcusedAbsences? From(IReadOnlyList<RuleStanding> rules) =>
        rules.FirstOrDefault(r => r.Rule == AttendancePolicy.MaxExcused) is { } rule
            ? new ExcusedAbsences((int)rule.Limit, (int)rule.Current, (int)Math.Max(0, rule.Limit - rule.Current))
            : null;
}

public sealed record PolicyStanding(PolicyStatus Status, IReadOnlyList<RuleStanding> Rules, int SessionsInWindow)
{
    public RuleStanding Rule(string name) => Rules.Single(r => r.Rule == name);
}

/// <summary>Evaluates a patient against the program's policy. Pure: the caller supplies the history and the time.</summary>
public static class AttendancePolicy
{
    public const string MinAttendance = "minAttendancePercent";
    public const string MaxExcused = "maxExcusedAbsences";
    public const string MaxUnexcused = "maxUnexcusedAbsences";

    public static PolicyStanding Evaluate(PolicySettings policy, IReadOnlyList<SessionOutcome> history, DateTimeOffset now)
    {
        var from = now.AddDays(-policy.WindowDays);
        var decided = history.Where(s => s.StartsAt > from && s.StartsAt <= now && s.Outcome != AttendanceOutcome.Pending).ToList();
        var inPhase = policy.PhaseStartsAt is { } phase && phase <= now
            ? history.Where(s => s.StartsAt >= phase && s.StartsAt <= now && s.Outcome != AttendanceOutcome.Pending).ToList()
            : decided;
        bool Weighs(SessionOutcome s) => !(policy.MakeupCancelsAbsence && s.MadeUp);
        var attended = inPhase.Count(s => s.Outcome.IsPresence() || (s.Outcome.IsAbsence() && !Weighs(s)));
        var excused = decided.Count(s => s.Outcome == AttendanceOutcome.ExcusedAbsence && Weighs(s));
        var unexcused = decided.Count(s => s.Outcome is AttendanceOutcome.UnexcusedAbsence or AttendanceOutcome.NoShow && Weighs(s));

        RuleStanding[] rules =
        [
            AttendanceRule(policy.MinAttendancePercent, attended, inPhase.Count),
            CountRule(MaxExcused, excused, policy.MaxExcusedAbsences),
            CountRule(MaxUnexcused, unexcused, policy.MaxUnexcusedAbsences)
        ];
        return new PolicyStanding(rules.Max(r => r.Status), rules, decided.Count);
    }

    /// <summary>The rules whose status is worse now than before: what AttendanceWarning and PolicyBreached announce.</summary>
    public static IReadOnlyList<RuleStanding> Worsened(PolicyStanding? before, PolicyStanding after) =>
        after.Rules.Where(r => r.Status > (before?.Rules.FirstOrDefault(b => b.Rule == r.Rule)?.Status ?? PolicyStatus.GoodStanding)).ToList();

    static RuleStanding CountRule(string rule, int current, int max)
    {
        var toBreach = Math.Max(0, max - current + 1);
        return new RuleStanding(rule, StatusFor(toBreach), current, max, toBreach);
    }

    /// <summary>
    /// The attendance rate over decided sessions (100% with none yet, and good standing). The absences to breach are the fewest k with
    /// attended / (decided + k) below the minimum.
    /// </summary>
    static RuleStanding AttendanceRule(decimal minPercent, int attended, int decided)
    {
        var rate = decided == 0 ? 100m : Math.Round(attended * 100m / decided, 2);
        int? toBreach;
        if (minPercent <= 0) toBreach = null;
        else if (decided > 0 && attended * 100m < minPercent * decided) toBreach = 0;
        else toBreach = (int)Math.Floor(attended * 100m / minPercent - decided) + 1;
        // Before any decided session there is no rate to be at risk with: the first absence is the first data point.
        var status = decided > 0 && toBreach is { } k ? StatusFor(k) : PolicyStatus.GoodStanding;
        return new RuleStanding(MinAttendance, status, rate, minPercent, toBreach);
    }

    static PolicyStatus StatusFor(int absencesToBreach) => absencesToBreach switch
    {
        0 => PolicyStatus.InBreach,
        1 => PolicyStatus.AtRisk,
        _ => PolicyStatus.GoodStanding
    };
}
