using VirtualIop.TestSupport;

namespace VirtualIop.FaultTests.Harness;

/// <summary>
/// What a flow owed against what happened. Lost: an owed effect that is missing. Duplicated: every effect beyond the owed
/// ones: a second copy of one (a second email with the same subject to the same patient included), or any effect for a
/// cancelled session (its one notice that the session is cancelled apart).
/// </summary>
public sealed class Tally(int expected)
{
    const string MissedYouSubject = "We missed you";
    const string CancelledSubjectEnd = "is cancelled";
    readonly List<string> findings = [];

    public int Expected { get; } = expected;

    public int Lost { get; private set; }

    public int Duplicated { get; private set; }

    /// <summary>What was lost or doubled, per kind of effect (the first few of each).</summary>
    public IReadOnlyList<string> Findings => findings;

    /// <summary>Counts one kind of effect kept as rows per (session, patient).</summary>
    public void Effect(string kind, IReadOnlyList<Miss> owed, IReadOnlyList<Miss> cancelled, IReadOnlyDictionary<(Guid, Guid), long> rows)
    {
        var lost = owed.Where(m => rows.GetValueOrDefault((m.SessionId, m.PatientId)) == 0).ToList();
        var doubled = owed.Sum(m => Math.Max(0, rows.GetValueOrDefault((m.SessionId, m.PatientId)) - 1));
        var spurious = cancelled.Sum(m => rows.GetValueOrDefault((m.SessionId, m.PatientId)));
        Record(kind, lost.Count, (int)doubled, (int)spurious, lost.Take(3).Select(m => $"session {m.SessionId} patient {m.PatientId}"));
    }

    /// <summary>
    /// Counts the emails: one "we missed you" owed to each missed patient, no subject twice to anyone, and nothing to a
    /// cancelled session's patients but the one notice that it is cancelled. A "we missed you" whose send was cut off by a
    /// killed dispatcher is recorded unknown and, by the at-most-once rule, shown and never sent again: it is counted as
    /// unknown, not lost, while the sink holds no copy of it.
    /// </summary>
    public void Mail(IReadOnlyList<Miss> owed, IReadOnlyList<Miss> cancelled, IReadOnlyList<ReceivedMail> messages,
        IReadOnlyDictionary<(Guid, Guid), long> unknownOutcomes)
    {
        var byRecipient = messages
            .SelectMany(m => m.To.Select(to => (To: Bare(to), m.Subject)))
            .GroupBy(m => m.To, StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => g.Select(m => m.Subject ?? "").ToList(), StringComparer.OrdinalIgnoreCase);
        IReadOnlyList<string> To(Miss m) => byRecipient.GetValueOrDefault(m.Email, []);
        var missing = owed.Where(m => !To(m).Any(s => s.StartsWith(MissedYouSubject, StringComparison.Ordinal))).ToList();
        var unknown = missing.Count(m => unknownOutcomes.GetValueOrDefault((m.SessionId, m.PatientId)) > 0);
        var lost = missing.Where(m => unknownOutcomes.GetValueOrDefault((m.SessionId, m.PatientId)) == 0).ToList();
        if (unknown > 0) findings.Add($"email: {unknown} unknown (cut off in flight by a killed dispatcher; shown, never sent again)");
        var doubled = owed.Concat(cancelled).Sum(m => To(m).GroupBy(s => s).Sum(g => g.Count() - 1));
        var spurious = cancelled.SelectMany(m => To(m).Distinct()).Where(s => !s.EndsWith(CancelledSubjectEnd, StringComparison.Ordinal)).ToList();
        Record("email", lost.Count, doubled, spurious.Count, lost.Take(3).Select(m => m.Email));
        var twice = owed.Concat(cancelled).SelectMany(m => To(m).GroupBy(s => s).Where(g => g.Count() > 1).Select(g => g.Key)).Distinct().Take(3).ToList();
        if (twice.Count > 0) findings.Add($"  sent twice: {string.Join("; ", twice)}");
        if (spurious.Count > 0) findings.Add($"  sent for cancelled sessions: {string.Join("; ", spurious.Distinct().Take(3))}");
    }

    /// <summary>The line the issue asks every case to print.</summary>
    public string Line(string name, TimeSpan recovery) =>
        $"fault {name}: {Expected} expected, {Lost} lost, {Duplicated} duplicated, recovered in {recovery.TotalSeconds:F1} s";

    void Record(string kind, int lost, int doubled, int spurious, IEnumerable<string> examples)
    {
        Lost += lost;
        Duplicated += doubled + spurious;
        if (lost + doubled + spurious > 0)
            findings.Add($"{kind}: {lost} lost{(lost > 0 ? $" (e.g. {string.Join(", ", examples)})" : "")}, {doubled} doubled, {spurious} for cancelled sessions");
    }

    static string Bare(string address)
    {
        var open = address.LastIndexOf('<');
        var close = address.LastIndexOf('>');
        return (open >= 0 && close > open ? address[(open + 1)..close] : address).Trim();
    }
}
