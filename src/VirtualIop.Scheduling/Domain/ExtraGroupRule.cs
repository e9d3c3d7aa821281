namespace VirtualIop.Scheduling.Domain;

/// <summary>A patient's makeup still open for a seat elsewhere, for a missed session on a topic.</summary>
public sealed record OpenTopicMakeup(Guid TopicId, Guid PatientId, DateTimeOffset MissedAt, TimeSpan MissedLength);

/// <summary>
/// A topic enough patients missed to warrant an extra group: who and how many, the first miss, when the last missed session
/// ended (a group to make it up comes after), and how long the group lasts.
/// </summary>
public sealed record ExtraGroupNeed(
    Guid TopicId, int PatientCount, DateTimeOffset FirstMissedAt, DateTimeOffset LastMissedEnd, TimeSpan Length, IReadOnlyList<Guid> PatientIds);

/// <summary>
/// When to propose an extra makeup group: once <c>threshold</c> different patients missed the same topic within the
/// window and each still has a makeup open for a seat elsewhere. Older misses do not count; a miss announced ahead (a
/// notice for a session still to come) does. Proposals come first-miss
/// first (then by topic id), so the patients waiting longest are seen first; the group lasts as long as the longest
/// missed session of the topic.
/// </summary>
public static class ExtraGroupRule
{
    public static IReadOnlyList<ExtraGroupNeed> Needs(IEnumerable<OpenTopicMakeup> open, int threshold, TimeSpan window, DateTimeOffset now)
    {
        var since = now - window;
        return open.Where(m => m.MissedAt >= since)
            .GroupBy(m => m.TopicId)
            .Select(topic => new
            {
                TopicId = topic.Key,
                Patients = topic.Select(m => m.PatientId).Distinct().Order().ToList(),
                FirstMissedAt = topic.Min(m => m.MissedAt),
                LastMissedEnd = topic.Max(m => m.MissedAt + m.MissedLength),
                Length = topic.Max(m => m.MissedLength)
            })
            .Where(t => t.Patients.Count >= Math.Max(1, threshold))
            .OrderBy(t => t.FirstMissedAt).ThenBy(t => t.TopicId)
            .Select(t => new ExtraGroupNeed(t.TopicId, t.Patients.Count, t.FirstMissedAt, t.LastMissedEnd, t.Length, t.Patients))
            .ToList();
    }
}
