using System.Diagnostics.CodeAnalysis;
using Microsoft.AspNetCore.Http.Extensions;
using Microsoft.AspNetCore.Http.HttpResults;
using VirtualIop.Scheduling.Domain;

namespace VirtualIop.Scheduling.Apis;

/// <summary>
/// Reads ?limit=&amp;cursor= as a <see cref="PageRequest"/>. The body stays a plain array; when more sessions follow, the
/// response says where (RFC 8288 <c>Link: &lt;…&amp;cursor=…&gt;; rel="next"</c>, and the bare cursor in X-Next-Cursor).
/// </summary>
static class Pages
{
    public const string NextCursorHeader = "X-Next-Cursor";

    public static bool TryRead(int? limit, string? cursor, [NotNullWhen(true)] out PageRequest? page, [NotNullWhen(false)] out ValidationProblem? problem)
    {
        problem = PageRequest.TryCreate(limit, cursor, out page, out var errors) ? null : TypedResults.ValidationProblem(errors.ToProblemErrors());
        return page is not null;
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
