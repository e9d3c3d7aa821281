namespace VirtualIop.Engagement.Domain;

/// <summary>
/// What the score is made of, counted over everything Engagement knows of the patient: session outcomes (sessions
/// that have started), makeups booked and completed for absences, and homework set with missed content.
/// </summary>
public sealed record EngagementFacts(int Attended, int Missed, int Excused, int MakeupsBooked, int MakeupsCompleted, int HomeworkSet, int HomeworkDone);

/// <summary>One part of the score: its value from 0 to 1 (null when there is nothing to judge it on), its weight, and why.</summary>
public sealed record ScorePart(string Name, decimal? Value, decimal Weight, string Explanation);

/// <summary>The score from 0 to 100 (null when no part can be judged yet) and the parts it is made of.</summary>
public sealed record EngagementScoreCard(int? Score, IReadOnlyList<ScorePart> Parts);

/// <summary>
/// A patient's engagement score, 0 to 100, the weighted mean of the parts that can be judged:
/// <list type="bullet">
/// <item>attendance (weight 0.6): sessions attended out of sessions attended or missed; an excused absence is left out,
/// so telling the clinic in time never lowers the score;</item>
/// <item>makeups (weight 0.2): absences (missed or excused) made up, a completed makeup counting 1 and one booked but
/// not yet completed 0.5, capped at 1; nothing to make up leaves the part out;</item>
/// <item>homework (weight 0.2): homework from missed sessions done out of homework set; none set leaves the part out.</item>
/// </list>
/// A part left out does not count as zero: the other weights are scaled up, so a new patient is not judged on nothing.
/// </summary>
public static class EngagementScore
{
    public const decimal AttendanceWeight = 0.6m;
    public const decimal MakeupWeight = 0.2m;
    public const decimal HomeworkWeight = 0.2m;

    public static EngagementScoreCard Of(EngagementFacts f)
    {
        var judged = f.Attended + f.Missed;
        var attendance = new ScorePart("attendance", judged == 0 ? null : (decimal)f.Attended / judged, AttendanceWeight,
            judged == 0 ? "No session attended or missed yet." : $"Attended {f.Attended} of {judged} sessions (excused absences left out: {f.Excused}).");

        var absences = f.Missed + f.Excused;
        var pending = Math.Max(0, f.MakeupsBooked - f.MakeupsCompleted);
        var madeUp = Math.Min(1m, (f.MakeupsCompleted + pending * 0.5m) / Math.Max(1, absences));
        var makeups = new ScorePart("makeups", absences == 0 ? null : madeUp, MakeupWeight,
            absences == 0 ? "No absence to make up." : $"{f.MakeupsCompleted} makeup(s) completed and {pending} booked for {absences} absence(s).");

        var homework = new ScorePart("homework", f.HomeworkSet == 0 ? null : (decimal)f.HomeworkDone / f.HomeworkSet, HomeworkWeight,
            f.HomeworkSet == 0 ? "No homework set with missed content." : $"{f.HomeworkDone} of {f.HomeworkSet} homework assignment(s) done.");

        var parts = new[] { attendance, makeups, homework };
        var counted = parts.Where(p => p.Value is not null).ToList();
        var weight = counted.Sum(p => p.Weight);
        int? score = weight == 0 ? null : (int)Math.Round(100 * counted.Sum(p => p.Value!.Value * p.Weight) / weight, MidpointRounding.AwayFromZero);
        return new EngagementScoreCard(score, parts);
    }
}
