using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace VirtualIop.BuildingBlocks.Http;

/// <summary>
/// The 404 every service answers to a write naming a program or session the clinic does not own. A service learns the
/// clinic's programs and sessions from Scheduling's events, so right after Scheduling created one the event may still
/// be on its way: the detail says so, and a partner retries after a short wait. Nothing is written either way.
/// </summary>
public static class UnknownResource
{
    public static ProblemHttpResult Problem(string resource, string service) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: $"Unknown {resource}",
            detail: $"The {resource} is unknown to {service} for this clinic: it was never created for this clinic, or it was created moments ago " +
                    $"and {service} has not heard of it yet. Nothing was written; retry after a few seconds if it was just created.",
            extensions: new Dictionary<string, object?> { ["resource"] = resource });

    /// <summary>
    /// The same answer from the service that owns the resource (Scheduling for programs and sessions): there is no
    /// event to wait for, so the detail says only that the clinic has no such resource.
    /// </summary>
    public static ProblemHttpResult Problem(string resource) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: $"Unknown {resource}",
            detail: $"This clinic has no such {resource}. Nothing was written.",
            extensions: new Dictionary<string, object?> { ["resource"] = resource });
}
