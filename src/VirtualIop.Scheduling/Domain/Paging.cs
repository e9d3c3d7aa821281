using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;

namespace VirtualIop.Scheduling.Domain;

/// <summary>
/// A page of a session listing, by keyset: at most <see cref="Limit"/> sessions after the (start, id) the cursor names.
/// The cursor is opaque to clients (base64url of the last session's start ticks and id), so a listing pages stably even
/// while sessions are added before the cursor.
/// </summary>
public sealed record PageRequest(int Limit, DateTimeOffset? AfterStartsAt, Guid? AfterId)
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 500;

    public static bool TryCreate(int? limit, string? cursor, [NotNullWhen(true)] out PageRequest? page, out IReadOnlyList<FieldError> errors)
    {
        var found = new List<FieldError>();
        if (limit is { } l && l is < 1 or > MaxLimit) found.Add(new("limit", $"The page size is 1 to {MaxLimit}."));
        (DateTimeOffset StartsAt, Guid Id)? after = null;
        if (cursor is not null)
        {
            after = Decode(cursor);
            if (after is null) found.Add(new("cursor", "Not a cursor this listing handed out; start again without one."));
        }
        errors = found;
        page = found.Count == 0 ? new PageRequest(limit ?? DefaultLimit, after?.StartsAt, after?.Id) : null;
        return page is not null;
    }

    public static string Encode(DateTimeOffset startsAt, Guid id) =>
        Convert.ToBase64String(Encoding.ASCII.GetBytes($"{startsAt.UtcTicks.ToString(CultureInfo.InvariantCulture)}:{id:N}"))
            .TrimEnd('=').Replace('+', '-').Replace('/', '_');

    static (DateTimeOffset, Guid)? Decode(string cursor)
    {
        try
        {
            var padded = cursor.Replace('-', '+').Replace('_', '/');
            padded += new string('=', (4 - padded.Length % 4) % 4);
            var parts = Encoding.ASCII.GetString(Convert.FromBase64String(padded)).Split(':');
            return parts.Length == 2
                   && long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
                   && ticks <= DateTimeOffset.MaxValue.UtcTicks
                   && Guid.TryParseExact(parts[1], "N", out var id)
                ? (new DateTimeOffset(ticks, TimeSpan.Zero), id)
                : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
