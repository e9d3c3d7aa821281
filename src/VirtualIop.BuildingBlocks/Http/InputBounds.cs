using System.Diagnostics.CodeAnalysis;

namespace VirtualIop.BuildingBlocks.Http;

/// <summary>
/// The limits every service applies to what a caller controls, so that one call does bounded work and a value that
/// would overflow date arithmetic is refused as a 400 naming its field instead of failing as a 500.
/// </summary>
public static class InputBounds
{
    /// <summary>The earliest instant or date any field accepts.</summary>
    public static readonly DateTimeOffset Earliest = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>The first instant no field accepts: a clinic's schedule, notice or report never reaches 2100.</summary>
    public static readonly DateTimeOffset End = new(2100, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>The longest date range a read may ask for.</summary>
    public const int MaxRangeDays = 366;

    /// <summary>The longest short text (names, titles, codes, references).</summary>
    public const int MaxShortText = 200;

    /// <summary>The longest free text (notes, reasons, instructions).</summary>
    public const int MaxLongText = 8000;

    /// <summary>The largest request body a JSON endpoint reads.</summary>
    public const long MaxBodyBytes = 256 * 1024;

    /// <summary>What a 400 says of a date outside 2000–2100.</summary>
    public const string OutOfRangeMessage = "Must be on or after 2000-01-01 and before 2100-01-01.";

    /// <summary>The longest IANA id is about 32 characters; anything much longer is refused before a lookup.</summary>
    public const int MaxTimeZoneLength = 64;

    /// <summary>Windows ids ("Eastern Standard Time") resolve on some hosts too; only IANA ids are accepted.</summary>
    public static bool IsIanaTimeZone([NotNullWhen(true)] string? id) =>
        id is { Length: > 0 and <= MaxTimeZoneLength } && TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone) && zone.HasIanaId && zone.Id == id;

    public static bool IsWithin(DateTimeOffset value) => value >= Earliest && value < End;

    public static bool IsWithin(DateOnly value) => value >= DateOnly.FromDateTime(Earliest.UtcDateTime) && value < DateOnly.FromDateTime(End.UtcDateTime);

    /// <summary>Adds an error naming <paramref name="field"/> when <paramref name="value"/> lies outside 2000–2100.</summary>
    public static ValidationErrors RequireWithin(this ValidationErrors errors, string field, DateTimeOffset? value) =>
        errors.Require(value is not { } v || IsWithin(v), field, OutOfRangeMessage);

    /// <inheritdoc cref="RequireWithin(ValidationErrors, string, DateTimeOffset?)"/>
    public static ValidationErrors RequireWithin(this ValidationErrors errors, string field, DateOnly? value) =>
        errors.Require(value is not { } v || IsWithin(v), field, OutOfRangeMessage);

    /// <summary>
    /// Adds errors naming <c>from</c> or <c>to</c> when either lies outside 2000–2100, when <c>to</c> is not after
    /// <c>from</c>, or when the range is longer than <see cref="MaxRangeDays"/>; either end may be left out.
    /// </summary>
    public static ValidationErrors RequireRange(this ValidationErrors errors, DateTimeOffset? from, DateTimeOffset? to) =>
        errors.RequireWithin("from", from).RequireWithin("to", to)
            .Require(from is null || to is null || from < to, "to", "The end of the range must come after its start.")
            .Require(from is null || to is null || from >= to || to.Value - from.Value <= TimeSpan.FromDays(MaxRangeDays), "to",
                $"A range spans at most {MaxRangeDays} days.");

    /// <summary>Adds an error naming <paramref name="field"/> when <paramref name="value"/> is longer than <paramref name="max"/> characters.</summary>
    public static ValidationErrors RequireLength(this ValidationErrors errors, string field, string? value, int max) =>
        errors.Require(value is null || value.Length <= max, field, $"At most {max} characters.");

    /// <summary>Adds an error naming <paramref name="field"/> when <paramref name="items"/> has more than <paramref name="max"/> entries.</summary>
    public static ValidationErrors RequireCount<T>(this ValidationErrors errors, string field, IReadOnlyCollection<T>? items, int max) =>
        errors.Require(items is null || items.Count <= max, field, $"At most {max} entries.");
}
