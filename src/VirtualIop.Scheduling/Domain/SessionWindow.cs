using System.Diagnostics.CodeAnalysis;

namespace VirtualIop.Scheduling.Domain;

/// <summary>The [From, To) range a session listing covers.</summary>
public sealed record SessionWindow(DateTimeOffset From, DateTimeOffset To)
{
    public static readonly TimeSpan DefaultLength = TimeSpan.FromDays(14);
    public static readonly TimeSpan MaxLength = TimeSpan.FromDays(366);

    /// <summary>
    /// Missing bounds default to now .. now + 14 days (or from + 14 days); the window must not be empty
    /// and may span at most 366 days, so one listing stays bounded.
    /// </summary>
    public static bool TryCreate(
        DateTimeOffset? from,
        DateTimeOffset? to,
        DateTimeOffset now,
        [NotNullWhen(true)] out SessionWindow? window,
        out IReadOnlyList<FieldError> errors)
    {
        var start = from ?? now;
        var end = to ?? start + DefaultLength;
        var found = new List<FieldError>();
        if (end <= start) found.Add(new("to", "The window must end after it starts."));
        else if (end - start > MaxLength) found.Add(new("to", $"The window may span at most {MaxLength.TotalDays} days."));

        errors = found;
        window = found.Count == 0 ? new SessionWindow(start, end) : null;
        return window is not null;
    }
}
