using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using VirtualIop.BuildingBlocks.Audit;
using VirtualIop.BuildingBlocks.Auth;
using VirtualIop.BuildingBlocks.Http;
using VirtualIop.BuildingBlocks.Http.Idempotency;
using VirtualIop.Scheduling.Data;
using VirtualIop.Scheduling.Extensions;
using VirtualIop.Scheduling.Domain;

namespace VirtualIop.Scheduling.Apis;

public static class SessionsApi
{
    public static RouteGroupBuilder MapSessionsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/scheduling/sessions").RequireAuthorization().WithTags("Sessions");
        api.MapPost("/", ScheduleSession).WithName("ScheduleSession").AuditsPatientData("scheduling.session")
            .Idempotent()
            .WithSummary("Schedules a session for the clinic's patients and announces it (SessionScheduled)");
        api.MapGet("/{id:guid}", GetSession).WithName("GetSession").AuditsPatientData("scheduling.session").WithSummary("One of the clinic's sessions");
        api.MapGet("/", ListSessions).WithName("ListSessions").AuditsPatientData("scheduling.sessions")
            .WithSummary("The clinic's sessions starting in [from, to), by start; defaults to the next 14 days; paged (limit, cursor)");
        api.MapPost("/{id:guid}/reschedule", RescheduleSession).WithName("RescheduleSession").AuditsPatientData("scheduling.session")
            .WithSummary("Moves one session (a per-occurrence exception in its series) with a reason (SessionRescheduled)");
        api.MapPost("/{id:guid}/cancel", CancelSession).WithName("CancelSession").AuditsPatientData("scheduling.session")
            .WithSummary("Cancels one session with a reason (SessionCancelled); it stays listed as cancelled");
        return api;
    }

    static async Task<Results<Ok<SessionStateDto>, ValidationProblem, NotFound, ProblemHttpResult>> RescheduleSession(
        Guid id, RescheduleSessionRequest request, ClinicContext clinic, Sessions sessions, IOptions<SchedulingOptions> options,
        TimeProvider clock, CancellationToken ct)
    {
        if (await sessions.Find(clinic.ClinicId, id, ct) is not { } session) return TypedResults.NotFound();
        var proposal = new RescheduleProposal(request.StartsAt, request.DurationMinutes, request.Reason);
        if (!Reschedule.TryCreate(proposal, session.EndsAt - session.StartsAt, clock.GetUtcNow(), out var move, out var errors,
                options.Value.MinimumSessionMinutes))
            return TypedResults.ValidationProblem(errors.ToProblemErrors());
        return Changed(await sessions.Reschedule(clinic.ClinicId, id, move, ct));
    }

    static async Task<Results<Ok<SessionStateDto>, ValidationProblem, NotFound, ProblemHttpResult>> CancelSession(
        Guid id, CancelSessionRequest request, ClinicContext clinic, Sessions sessions, CancellationToken ct)
    {
        if (request.Reason is not { } reason) return FieldErrors.Problem(new FieldError("reason", "A reason is required."));
        return Changed(await sessions.Cancel(clinic.ClinicId, id, reason, ct));
    }

    static Results<Ok<SessionStateDto>, ValidationProblem, NotFound, ProblemHttpResult> Changed((Session? Session, SessionChangeRefusal? Refusal) result) =>
        result switch
        {
            ({ } session, _) => TypedResults.Ok(SessionStateDto.From(session)),
            (_, SessionChangeRefusal.Cancelled) => TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Session cancelled",
                detail: "The session was cancelled; schedule a new one instead."),
            (_, SessionChangeRefusal.AlreadyStarted) => TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Session started",
                detail: "The session has already started; only future sessions can be changed."),
            (_, SessionChangeRefusal.SlotTaken) => TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Slot taken",
                detail: "The clinician or the patient already has a booking that overlaps the new time."),
            _ => TypedResults.NotFound()
        };

    static async Task<Results<Created<SessionDto>, ValidationProblem>> ScheduleSession(
        ScheduleSessionRequest request, ClinicContext clinic, Sessions sessions, IOptions<SchedulingOptions> options,
        TimeProvider clock, CancellationToken ct)
    {
        var proposal = new SessionProposal(request.Kind, request.StartsAt, request.DurationMinutes, request.TimeZone, request.PatientIds);
        if (!NewSession.TryCreate(proposal, clock.GetUtcNow(), out var session, out var errors, options.Value.MinimumSessionMinutes))
        {
            return TypedResults.ValidationProblem(errors.ToProblemErrors());
        }

        var stored = await sessions.Schedule(clinic.ClinicId, session, ct);
        return TypedResults.Created($"/api/scheduling/sessions/{stored.Id}", SessionDto.From(stored));
    }

    static async Task<Results<Ok<SessionDto>, NotFound>> GetSession(
        Guid id, ClinicContext clinic, Sessions sessions, CancellationToken ct) =>
        await sessions.Show(clinic.ClinicId, id, ct) is { } session
            ? TypedResults.Ok(SessionDto.From(session))
            : TypedResults.NotFound();

    static async Task<Results<Ok<IReadOnlyList<SessionDto>>, ValidationProblem>> ListSessions(
        string? from, string? to, int? limit, string? cursor, ClinicContext clinic, Sessions sessions, TimeProvider clock, HttpContext http,
        CancellationToken ct)
    {
        if (!Windows.TryRead(from, to, clock.GetUtcNow(), out var window, out var problem)) return problem;
        return await KeysetPages.Serve(limit, cursor, http, async page =>
        {
            var (found, nextCursor) = await sessions.StartingWithin(clinic.ClinicId, window, page, ct);
            return ((IReadOnlyList<SessionDto>)found.Select(SessionDto.From).ToList(), nextCursor);
        });
    }
}
