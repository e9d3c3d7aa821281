using VirtualIop.Scheduling.Domain.Fhir;

namespace VirtualIop.Scheduling.Domain;

/// <summary>A session of a phase's topics that the patient was expected at, with what Attendance last decided for them.</summary>
public sealed record PhaseSession(Guid SessionId, Guid TopicId, string Topic, DateTimeOffset StartsAt, AttendanceOutcome Outcome);

/// <summary>What addresses a missed session's content, each set holding missed session ids.</summary>
public sealed record MissRemedies(IReadOnlySet<Guid> CompletedMakeups, IReadOnlySet<Guid> AddressedPackages, IReadOnlySet<Guid> Waivers)
{
    public static readonly MissRemedies None = new(new HashSet<Guid>(), new HashSet<Guid>(), new HashSet<Guid>());

    public bool Address(Guid missedSessionId) =>
        CompletedMakeups.Contains(missedSessionId) || AddressedPackages.Contains(missedSessionId) || Waivers.Contains(missedSessionId);
}

public enum PhaseVerdict
{
    /// <summary>Nothing of the current phase is outstanding: the patient moves to the next phase.</summary>
    Advance,
    /// <summary>A missed session of the current phase is not yet made up, caught up on or waived.</summary>
    ContentOutstanding,
    /// <summary>The patient is no longer in the phase the request advances from (someone else advanced them).</summary>
    PhaseMoved,
    /// <summary>The patient is in the program's last phase; there is no next one.</summary>
    LastPhase
}

/// <summary>
/// The gate between a program's phases: a patient moves on only when every session of the current phase they missed
/// (a no-show or an unexcused absence, as corrected) is addressed by a completed makeup, a finished catch-up package or a
/// clinician's waiver. An excused absence or an attended session leaves nothing outstanding.
/// </summary>
public static class PhaseGate
{
    public static bool IsMiss(AttendanceOutcome outcome) => outcome is AttendanceOutcome.NoShow or AttendanceOutcome.UnexcusedAbsence;

    /// <summary>The phase's missed sessions that nothing addresses yet, earliest first.</summary>
    public static IReadOnlyList<PhaseSession> Outstanding(IEnumerable<PhaseSession> sessions, MissRemedies remedies) =>
        sessions.Where(s => IsMiss(s.Outcome) && !remedies.Address(s.SessionId)).OrderBy(s => s.StartsAt).ThenBy(s => s.SessionId).ToList();

    /// <summary>Whether a patient in <paramref name="currentPhase"/> of <paramref name="phaseCount"/> may advance from <paramref name="fromPhase"/>.</summary>
    public static PhaseVerdict Decide(int currentPhase, int phaseCount, int fromPhase, IReadOnlyList<PhaseSession> outstanding) =>
        fromPhase != currentPhase ? PhaseVerdict.PhaseMoved
        : currentPhase >= phaseCount ? PhaseVerdict.LastPhase
        : outstanding.Count > 0 ? PhaseVerdict.ContentOutstanding
        : PhaseVerdict.Advance;
}
