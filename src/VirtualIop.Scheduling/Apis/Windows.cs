using System.Diagnostics.CodeAnalysis;
using Microsoft.AspNetCore.Http.HttpResults;
using VirtualIop.BuildingBlocks.Http;
using VirtualIop.Scheduling.Domain;

namespace VirtualIop.Scheduling.Apis;

/// <summary>Reads ?from=&amp;to= as a <see cref="SessionWindow"/>; a malformed bound is a 400 naming it.</summary>
static class Windows
{
    public static bool TryRead(string? from, string? to, DateTimeOffset now,
        [NotNullWhen(true)] out SessionWindow? window, [NotNullWhen(false)] out ValidationProblem? problem)
    {
        var bounds = new ValidationErrors();
        var start = Bound(from, "from", bounds);
        var end = Bound(to, "to", bounds);
        window = null;
        problem = null;
        if (bounds.Any) problem = TypedResults.ValidationProblem(bounds.ToDictionary());
        else if (!SessionWindow.TryCreate(start, end, now, out window, out var errors)) problem = TypedResults.ValidationProblem(errors.ToProblemErrors());
        return problem is null;
    }

    static DateTimeOffset? Bound(string? text, string field, ValidationErrors errors)
    {
        if (text is null) return null;
        if (Instants.TryParse(text, out var instant)) return instant;
        errors.Add(field, Instants.Expected);
        return null;
    }
}
