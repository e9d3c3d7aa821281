using Microsoft.AspNetCore.Http.HttpResults;
using VirtualIop.BuildingBlocks.Auth;
using VirtualIop.BuildingBlocks.Http;
using VirtualIop.Engagement.Data;
using VirtualIop.Engagement.Domain;

namespace VirtualIop.Engagement.Apis;

public sealed record HomeworkRequest(string? Title, string? Instructions, DateOnly? DueOn);

public sealed record RecordSessionContentRequest(
    IReadOnlyList<string>? KeyPoints,
    HomeworkRequest? Homework,
    string? RecordingUrl,
    string? PeerSupportUrl);

public static class SessionContentApi
{
    const int MaxKeyPoints = 20;
    const int MaxKeyPointLength = 2000;
    const int MaxTitleLength = 200;
    const int MaxInstructionsLength = 8000;
    const int MaxLinkLength = 2000;

    public static RouteGroupBuilder MapSessionContentApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/engagement/sessions/{sessionId:guid}/content").RequireAuthorization().WithTags("Session content");
        api.MapPut("/", RecordContent).WithName("RecordSessionContent")
            .WithSummary("The facilitator records a session's key points, homework and resources; patients who missed it receive them");
        api.MapGet("/", GetContent).WithName("GetSessionContent").WithSummary("What was recorded for a session");
        return api;
    }

    /// <returns>404 (ProblemDetails), with nothing written, for a session the clinic has not scheduled (or Engagement has not heard of yet).</returns>
    static async Task<Results<Ok<SessionContentView>, ValidationProblem, ProblemHttpResult>> RecordContent(
        Guid sessionId, RecordSessionContentRequest request, ClinicContext clinic, SessionContents contents, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        var content = Validate(request, errors);
        if (content is null || errors.Any) return TypedResults.ValidationProblem(errors.ToDictionary());
        return await contents.Record(clinic, sessionId, content, ct) is { } recorded
            ? TypedResults.Ok(recorded)
            : UnknownResource.Problem("session", "Engagement");
    }

    static async Task<Results<Ok<SessionContentView>, NotFound>> GetContent(Guid sessionId, ClinicContext clinic, SessionContents contents, CancellationToken ct) =>
        await contents.Find(clinic, sessionId, ct) is { } content ? TypedResults.Ok(content) : TypedResults.NotFound();

    static SessionContent? Validate(RecordSessionContentRequest request, ValidationErrors errors)
    {
        var keyPoints = request.KeyPoints ?? [];
        errors.Require(keyPoints.Count is > 0 and <= MaxKeyPoints, "keyPoints", $"Give between 1 and {MaxKeyPoints} key points.");
        errors.Require(keyPoints.All(p => !string.IsNullOrWhiteSpace(p) && p.Length <= MaxKeyPointLength), "keyPoints",
            $"Each key point must be text of at most {MaxKeyPointLength} characters.");

        Homework? homework = null;
        if (request.Homework is { } h)
        {
            errors.Require(!string.IsNullOrWhiteSpace(h.Title) && h.Title.Length <= MaxTitleLength, "homework.title", $"Required, at most {MaxTitleLength} characters.");
            errors.Require(!string.IsNullOrWhiteSpace(h.Instructions) && h.Instructions.Length <= MaxInstructionsLength, "homework.instructions",
                $"Required, at most {MaxInstructionsLength} characters.");
            errors.Require(h.DueOn is not null, "homework.dueOn", "Required: the day the homework is due (yyyy-MM-dd).")
                .RequireWithin("homework.dueOn", h.DueOn);
            if (h is { Title: { } title, Instructions: { } instructions, DueOn: { } dueOn }) homework = new Homework(title.Trim(), instructions.Trim(), dueOn);
        }

        var recording = Link(request.RecordingUrl, "recordingUrl", errors);
        var peerSupport = Link(request.PeerSupportUrl, "peerSupportUrl", errors);
        return errors.Any ? null : new SessionContent(keyPoints.Select(p => p.Trim()).ToList(), homework, recording, peerSupport);
    }

    static Uri? Link(string? text, string field, ValidationErrors errors)
    {
        if (text is null) return null;
        if (text.Length > MaxLinkLength)
        {
            errors.Add(field, $"At most {MaxLinkLength} characters.");
            return null;
        }
        if (Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme is "https" or "http") return uri;
        errors.Add(field, "Must be an absolute http(s) link, or left out.");
        return null;
    }
}
