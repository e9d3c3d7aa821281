namespace VirtualIop.Engagement.Domain;

/// <summary>Homework set in a session: what to do, how, and by which day.</summary>
public sealed record Homework(string Title, string Instructions, DateOnly DueOn);

/// <summary>
/// What a facilitator recorded after a session: its key points, the homework, and optional resources (the recording
/// of an educational module, a peer-support forum or group).
/// </summary>
public sealed record SessionContent(
    IReadOnlyList<string> KeyPoints,
    Homework? Homework,
    Uri? RecordingUrl,
    Uri? PeerSupportUrl)
{
    /// <summary>
    /// The items a patient who missed the session goes through: always the summary, and each of homework, recording
    /// and peer support that the facilitator provided. A package is complete when every one of them is done.
    /// </summary>
    public IReadOnlyList<ContinuityItemKind> Items()
    {
        var items = new List<ContinuityItemKind> { ContinuityItemKind.Summary };
        if (Homework is not null) items.Add(ContinuityItemKind.Homework);
        if (RecordingUrl is not null) items.Add(ContinuityItemKind.Recording);
        if (PeerSupportUrl is not null) items.Add(ContinuityItemKind.PeerSupport);
        return items;
    }
}
