using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace VirtualIop.BuildingBlocks.Http;

/// <summary>
/// A page of a listing ordered by (start, id), by keyset: at most <see cref="Limit"/> items after the (start, id) the
/// cursor names. The cursor is opaque to clients (base64url of the last item's start ticks and id), so a listing pages
/// stably even while items are added before the cursor.
/// </summary>
public sealed record PageRequest(int Limit, DateTimeOffset? AfterStartsAt, Guid? AfterId)
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 500;

    /// <summary>Adds to <paramref name="errors"/> what is wrong with <c>limit</c> and <c>cursor</c>, so a read can report them with its other fields.</summary>
    public static bool TryCreate(int? limit, string? cursor, ValidationErrors errors, [NotNullWhen(true)] out PageRequest? page)
    {
        var valid = true;
        if (limit is { } l && l is < 1 or > MaxLimit)
        {
            errors.Add("limit", $"The page size is 1 to {MaxLimit}.");
            valid = false;
        }
        (DateTimeOffset StartsAt, Guid Id)? after = null;
        if (cursor is not null)
        {
            after = Decode(cursor);
            if (after is null)
            {
                errors.Add("cursor", "Not a cursor this listing handed out; start again without one.");
                valid = false;
            }
        }
        page = valid ? new PageRequest(limit ?? DefaultLimit, after?.StartsAt, after?.Id) : null;
        return valid;
    }

    /// <summary>How many rows to fetch: one more than the page, so that whether another page follows is known without a count.</summary>
    public int Take => Limit + 1;

    /// <summary>The page's rows out of at most <see cref="Take"/> fetched in (start, id) order, and the next page's cursor when a row was left over.</summary>
    public (IReadOnlyList<T> Rows, string? NextCursor) Cut<T>(IReadOnlyList<T> fetched, Func<T, (DateTimeOffset StartsAt, Guid Id)> key)
    {
        if (fetched.Count <= Limit) return (fetched, null);
        var rows = fetched.Take(Limit).ToList();
        var (startsAt, id) = key(rows[^1]);
        return (rows, Encode(startsAt, id));
    }

    /// <summary>The cursor of the page after the item that started at <paramref name="startsAt"/> with <paramref name="id"/>.</summary>
    public static string Encode(DateTimeOffset startsAt, Guid id) =>
        Convert.ToBase64String(Encoding.ASCII.GetBytes($"{startsAt.UtcTicks.ToString(CultureInfo.InvariantCulture)}:{id:N}"))
            .TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <returns>The (start, id) a cursor from <see cref="Encode"/> names; null for anything else.</returns>
    public static (DateTimeOffset StartsAt, Guid Id)? Decode(string cursor)
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

/// <summary>
/// Reads ?limit=&amp;cursor= as a <see cref="PageRequest"/>. The body stays a plain array; when more items follow, the
/// response says where (RFC 8288 <c>Link: &lt;…&amp;cursor=…&gt;; rel="next"</c>, and the bare cursor in X-Next-Cursor).
/// </summary>
public static class KeysetPages
{
    public const string NextCursorHeader = "X-Next-Cursor";

    public static bool TryRead(int? limit, string? cursor, [NotNullWhen(true)] out PageRequest? page, [NotNullWhen(false)] out ValidationProblem? problem)
    {
        var errors = new ValidationErrors();
        problem = PageRequest.TryCreate(limit, cursor, errors, out page) ? null : TypedResults.ValidationProblem(errors.ToDictionary());
        return page is not null;
    }

    /// <summary>
    /// A whole listing endpoint: reads ?limit=&amp;cursor= (a 400 naming a bad one), fetches that page and announces the
    /// next one.
    /// </summary>
    public static async Task<Results<Ok<IReadOnlyList<T>>, ValidationProblem>> Serve<T>(int? limit, string? cursor, HttpContext http,
        Func<PageRequest, Task<(IReadOnlyList<T> Items, string? NextCursor)>> fetch)
    {
        if (!TryRead(limit, cursor, out var page, out var problem)) return problem;
        var (items, nextCursor) = await fetch(page);
        Announce(http, nextCursor);
        return TypedResults.Ok(items);
    }

    public static void Announce(HttpContext http, string? nextCursor)
    {
        if (nextCursor is null) return;
        var query = http.Request.Query.Where(q => q.Key != "cursor").SelectMany(q => q.Value.Select(v => new KeyValuePair<string, string?>(q.Key, v)))
            .Append(new KeyValuePair<string, string?>("cursor", nextCursor));
        var next = http.Request.PathBase + http.Request.Path + QueryString.Create(query);
        http.Response.Headers.Link = $"<{next}>; rel=\"next\"";
        http.Response.Headers[NextCursorHeader] = nextCursor;
    }
}
