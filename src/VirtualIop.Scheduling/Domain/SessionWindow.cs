using System.Diagnostics.CodeAnalysis;
using VirtualIop.BuildingBlocks.Http;

namespace VirtualIop.Scheduling.Domain;

/// <summary>The [From, To) range a session listing covers.</summary>
public sealed record SessionWindow(DateTimeOffset From, DateTimeOffset To)
{
    public static readonly TimeSpan DefaultLength = TimeSpan.FromDays(14);
    public static readonly TimeSpan MaxLength = TimeSpan.FromDays(InputBounds.MaxRangeDays);

    /// <summary>
    /// Missing bounds default to now .. now + 14 days (or from + 14 days); both bounds lie in 2000–2100, the window must
    /// not be empty and may span at most 366 days, so one listing stays bounded.
    /// </summary>
    public static bool TryCreate(
        DateTimeOffset? from,
        DateTimeOffset? to,
        DateTimeOffset now,
        [NotNullWhen(true)] out SessionWindow? window,
        out IReadOnlyList<FieldError> errors)
    {
        var found = new List<FieldError>();
        if (from is { } f && DateBounds.Check("from", f) is { } fromError) found.Add(fromError);
        if (to is { } t && DateBounds.Check("to", t) is { } toError) found.Add(toError);
        if (found.Count > 0)
        {
            errors = found;
            window = null;
            return false;
        }

        var start = from ?? now;
        var end = to ?? start + DefaultLength;
        if (end <= start) found.Add(new("to", "The window must end after it starts."));
        else if (end - start > MaxLength) found.Add(new("to", $"The window may span at most {MaxLength.TotalDays} days."));

        errors = found;
        window = found.Count == 0 ? new SessionWindow(start, end) : null;
        return window is not null;
    }
}
