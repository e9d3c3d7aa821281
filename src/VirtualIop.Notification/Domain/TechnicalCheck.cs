namespace VirtualIop.Notification.Domain;

/// <summary>
/// What the browser's technical check found before a session: camera, microphone and connection, each ok, failed or
/// skipped. It travels to the help desk on the ticket (as the delivery's topic), with ids and nothing the patient wrote.
/// </summary>
public sealed record TechnicalCheck(string Camera, string Microphone, string Connection)
{
    public static readonly IReadOnlyList<string> Results = ["ok", "failed", "skipped"];

    /// <summary>Where a ticket opened from the technical check comes from (the ticket's source).</summary>
    public const string Source = "technicalCheck";

    public static bool IsResult(string? value) => value is not null && Results.Contains(value, StringComparer.Ordinal);

    /// <summary>The delivery topic that carries the check to the ticket: "technicalCheck:camera=failed,microphone=ok,connection=ok".</summary>
    public string ToTopic() => $"{Source}:camera={Camera},microphone={Microphone},connection={Connection}";

    /// <summary>Reads a topic written by <see cref="ToTopic"/>; null for any other topic (a ticket from a notice or a correction).</summary>
    public static TechnicalCheck? FromTopic(string? topic)
    {
        if (topic is null || !topic.StartsWith(Source + ":", StringComparison.Ordinal)) return null;
        var parts = topic[(Source.Length + 1)..].Split(',').Select(p => p.Split('=')).ToList();
        if (parts.Count != 3 || parts.Any(p => p.Length != 2 || !IsResult(p[1])) || parts.DistinctBy(p => p[0]).Count() != 3) return null;
        var found = parts.ToDictionary(p => p[0], p => p[1], StringComparer.Ordinal);
        return found.TryGetValue("camera", out var camera) && found.TryGetValue("microphone", out var microphone)
               && found.TryGetValue("connection", out var connection)
            ? new TechnicalCheck(camera, microphone, connection)
            : null;
    }
}
