using Microsoft.AspNetCore.Http.HttpResults;
using VirtualIop.BuildingBlocks.Audit;
using VirtualIop.BuildingBlocks.Auth;
using VirtualIop.BuildingBlocks.Http;
using VirtualIop.BuildingBlocks.Http.Idempotency;
using VirtualIop.Engagement.Data;
using VirtualIop.Engagement.Domain;

namespace VirtualIop.Engagement.Apis;

public sealed record CreateFollowUpRequest(Guid? PatientId, string? Kind, Guid? SessionId, string? Assignee, DateTimeOffset? DueBy, string? Note);

public sealed record AssignFollowUpRequest(string? Assignee);

public sealed record MoveFollowUpRequest(string? Status, string? OutcomeNote);

/// <summary>A note; Crisis true flags it as a crisis, which opens an urgent safety check for the patient.</summary>
public sealed record FollowUpNoteRequest(string? Text, bool? Crisis = null);

public static class FollowUpsApi
{
    const int MaxAssigneeLength = 200;
    const int MaxNoteLength = 4000;

    public static RouteGroupBuilder MapFollowUpsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/engagement/follow-ups").RequireAuthorization().WithTags("Follow-ups");
        api.MapGet("/", ListFollowUps).WithName("ListFollowUps").WithSummary("The clinic's follow-up tasks, by patient, status, kind and/or assignee, earliest due first; paged (limit, cursor)")
            .AuditsPatientData("engagement.followUps");
        api.MapGet("/{id:guid}", GetFollowUp).WithName("GetFollowUp").WithSummary("One follow-up task")
            .AuditsPatientData("engagement.followUp");
        api.MapPost("/", CreateFollowUp).WithName("CreateFollowUp").WithSummary("A clinician opens a follow-up for a patient of the clinic")
            .Idempotent()
            .AuditsPatientData("engagement.followUp");
        api.MapPut("/{id:guid}/assignee", AssignFollowUp).WithName("AssignFollowUp").WithSummary("Assign an active task to a clinician")
            .AuditsPatientData("engagement.followUp");
        api.MapPost("/{id:guid}/status", MoveFollowUp).WithName("MoveFollowUp")
            .AuditsPatientData("engagement.followUp")
            .WithSummary("Move a task: open → inProgress → done, or cancelled; closing needs an outcome note");
        api.MapPost("/{id:guid}/notes", AddNote).WithName("AddFollowUpNote").WithSummary("Append a note to a task")
            .AuditsPatientData("engagement.followUpNotes");
        api.MapGet("/{id:guid}/notes", ListNotes).WithName("ListFollowUpNotes").WithSummary("A task's notes, oldest first; paged (limit, cursor)")
            .AuditsPatientData("engagement.followUpNotes");
        return api;
    }

    static async Task<Results<Ok<IReadOnlyList<FollowUpTask>>, ValidationProblem>> ListFollowUps(string? patientId, string? status, string? kind,
        string? assignee, int? limit, string? cursor, ClinicContext clinic, FollowUpTasks tasks, HttpContext http, CancellationToken ct)
    {
        var errors = new ValidationErrors().RequireLength("assignee", assignee, MaxAssigneeLength);
        Guid? patient = null;
        if (!string.IsNullOrWhiteSpace(patientId))
        {
            if (Guid.TryParse(patientId, out var id)) patient = id;
            else errors.Add("patientId", "Not a valid id.");
        }
        var wantedStatus = Optional<FollowUpStatus>(status, "status", errors);
        var wantedKind = Optional<FollowUpKind>(kind, "kind", errors);
        if (!PageRequest.TryCreate(limit, cursor, errors, out var page) || errors.Any) return TypedResults.ValidationProblem(errors.ToDictionary());

        var (found, nextCursor) = await tasks.List(clinic, patient, wantedStatus, wantedKind, string.IsNullOrWhiteSpace(assignee) ? null : assignee, page, ct);
        KeysetPages.Announce(http, nextCursor);
        return TypedResults.Ok(found);
    }

    static async Task<Results<Ok<FollowUpTask>, NotFound>> GetFollowUp(Guid id, ClinicContext clinic, FollowUpTasks tasks, CancellationToken ct) =>
        await tasks.Find(clinic, id, ct) is { } task ? TypedResults.Ok(task) : TypedResults.NotFound();

    static async Task<Results<Created<FollowUpTask>, ValidationProblem, NotFound, ProblemHttpResult>> CreateFollowUp(
        CreateFollowUpRequest request, ClinicContext clinic, FollowUpTasks tasks, TimeProvider clock, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        errors.Require(request.PatientId is { } p && p != Guid.Empty, "patientId", "Required: the patient's id.");
        if (!WireName.TryParse<FollowUpKind>(request.Kind, out var kind)) errors.Add("kind", $"Must be one of: {Wire.Choices<FollowUpKind>()}.");
        errors.Require(request.SessionId != Guid.Empty, "sessionId", "Must be a session id, or left out.");
        errors.Require(request.Assignee is null || (!string.IsNullOrWhiteSpace(request.Assignee) && request.Assignee.Length <= MaxAssigneeLength),
            "assignee", $"At most {MaxAssigneeLength} characters, or left out.");
        errors.Require(request.DueBy is null || request.DueBy > clock.GetUtcNow(), "dueBy", "Must be in the future, or left out.");
        errors.RequireWithin("dueBy", request.DueBy);
        errors.Require(request.Note is null || (!string.IsNullOrWhiteSpace(request.Note) && request.Note.Length <= MaxNoteLength),
            "note", $"At most {MaxNoteLength} characters, or left out.");
        if (errors.Any) return TypedResults.ValidationProblem(errors.ToDictionary());

        var (change, task, reason) = await tasks.Create(clinic,
            new NewFollowUp(request.PatientId!.Value, kind, request.SessionId, request.Assignee?.Trim(), request.DueBy, request.Note?.Trim()), ct);
        return change switch
        {
            FollowUpChange.Changed => TypedResults.Created($"/api/engagement/follow-ups/{task!.Id}", task),
            FollowUpChange.AlreadyActive => TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Already active",
                detail: $"The patient already has an active {WireName.Of(kind)} task.", extensions: new Dictionary<string, object?> { ["taskId"] = task!.Id }),
            FollowUpChange.NoValidConsent => TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "No valid consent",
                detail: $"{reason} Family or support involvement needs the patient's consent (42 CFR Part 2 §2.31); the refusal is in the patient's family-involvement log."),
            _ => TypedResults.NotFound()
        };
    }

    static async Task<Results<Ok<FollowUpTask>, ValidationProblem, NotFound, ProblemHttpResult>> AssignFollowUp(
        Guid id, AssignFollowUpRequest request, ClinicContext clinic, FollowUpTasks tasks, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(request.Assignee) || request.Assignee.Length > MaxAssigneeLength)
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["assignee"] = [$"Required, at most {MaxAssigneeLength} characters."] });
        return Answer(await tasks.Assign(clinic, id, request.Assignee.Trim(), ct));
    }

    static async Task<Results<Ok<FollowUpTask>, ValidationProblem, NotFound, ProblemHttpResult>> MoveFollowUp(
        Guid id, MoveFollowUpRequest request, ClinicContext clinic, FollowUpTasks tasks, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        if (!WireName.TryParse<FollowUpStatus>(request.Status, out var status)) errors.Add("status", $"Must be one of: {Wire.Choices<FollowUpStatus>()}.");
        errors.Require(request.OutcomeNote is null || request.OutcomeNote.Length <= MaxNoteLength, "outcomeNote", $"At most {MaxNoteLength} characters.");
        if (errors.Any) return TypedResults.ValidationProblem(errors.ToDictionary());

        var result = await tasks.Move(clinic, id, status, request.OutcomeNote?.Trim(), ct);
        if (result.Change == FollowUpChange.OutcomeNoteRequired)
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["outcomeNote"] = ["Closing a task needs an outcome note."] });
        return Answer(result);
    }

    static async Task<Results<Ok<FollowUpTask>, ValidationProblem, NotFound, ProblemHttpResult>> AddNote(
        Guid id, FollowUpNoteRequest request, ClinicContext clinic, FollowUpTasks tasks, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(request.Text) || request.Text.Length > MaxNoteLength)
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["text"] = [$"Required, at most {MaxNoteLength} characters."] });
        return Answer(await tasks.Note(clinic, id, request.Text.Trim(), request.Crisis == true, ct));
    }

    static async Task<Results<Ok<IReadOnlyList<FollowUpNote>>, ValidationProblem, NotFound>> ListNotes(Guid id, int? limit, string? cursor,
        ClinicContext clinic, FollowUpTasks tasks, HttpContext http, CancellationToken ct)
    {
        if (!KeysetPages.TryRead(limit, cursor, out var page, out var problem)) return problem;
        if (await tasks.Notes(clinic, id, page, ct) is not var (notes, nextCursor)) return TypedResults.NotFound();
        KeysetPages.Announce(http, nextCursor);
        return TypedResults.Ok(notes);
    }

    static Results<Ok<FollowUpTask>, ValidationProblem, NotFound, ProblemHttpResult> Answer((FollowUpChange Change, FollowUpTask? Task) result) =>
        result.Change switch
        {
            FollowUpChange.Changed => TypedResults.Ok(result.Task!),
            FollowUpChange.NotAllowed => TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Not allowed in this state",
                detail: $"The task is {WireName.Of(result.Task!.Status)}; that change is not possible from there."),
            _ => TypedResults.NotFound()
        };

    static T? Optional<T>(string? text, string field, ValidationErrors errors) where T : struct, Enum
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        if (WireName.TryParse<T>(text, out var value)) return value;
        errors.Add(field, $"Must be one of: {Wire.Choices<T>()}.");
        return null;
    }
}
