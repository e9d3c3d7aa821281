using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using VirtualIop.BuildingBlocks.Audit;
using VirtualIop.BuildingBlocks.Auth;
using VirtualIop.BuildingBlocks.Http;
using VirtualIop.BuildingBlocks.Http.Idempotency;
using VirtualIop.Scheduling.Data;
using VirtualIop.Scheduling.Domain;
using VirtualIop.Scheduling.Extensions;

namespace VirtualIop.Scheduling.Apis;

public static class CohortsApi
{
    public static RouteGroupBuilder MapCohortsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/scheduling/cohorts").RequireAuthorization().WithTags("Cohorts");
        api.MapPost("/", CreateCohort).WithName("CreateCohort").WithSummary("Creates a therapy group in a program")
            .Idempotent();
        api.MapGet("/{id:guid}", GetCohort).WithName("GetCohort").AuditsPatientData("scheduling.cohort").WithSummary("One of the clinic's cohorts with its current roster");
        api.MapPut("/{id:guid}/capacity", ChangeCapacity).WithName("ChangeCohortCapacity").AuditsPatientData("scheduling.cohort")
            .WithSummary("Changes the number of seats; never below the current roster");
        api.MapPost("/{id:guid}/enrolments", Enrol).WithName("EnrolPatient").WithSummary("Enrols a patient in the cohort (capacity enforced)")
            .Idempotent()
            .AuditsPatientData("scheduling.enrolment");
        api.MapDelete("/{id:guid}/enrolments/{patientId:guid}", Discharge).WithName("DischargePatient")
            .AuditsPatientData("scheduling.enrolment")
            .WithSummary("Discharges a patient from the cohort");
        api.MapPut("/{id:guid}/rolling", ChangeRolling).WithName("ChangeCohortRolling").AuditsPatientData("scheduling.cohort")
            .WithSummary("Marks the cohort rolling (patients join at any session and rejoin after a discharge) or not");
        api.MapPost("/{id:guid}/enrolments/{patientId:guid}/rejoin", Rejoin).WithName("RejoinPatient")
            .AuditsPatientData("scheduling.enrolment")
            .WithSummary("Puts a patient discharged from a rolling cohort back on its future sessions, on the same enrolment");
        api.MapPost("/{id:guid}/enrolments/{patientId:guid}/transfer", Transfer).WithName("TransferPatient")
            .Idempotent()
            .AuditsPatientData("scheduling.enrolment")
            .WithSummary("Moves a patient to another cohort of the same program");
        api.MapPost("/{id:guid}/series", CreateSeries).WithName("CreateSeries").AuditsPatientData("scheduling.series")
            .Idempotent()
            .WithSummary("Adds a recurring series (RFC 5545 RRULE) and schedules its occurrences up to the horizon");
        api.MapPost("/{id:guid}/series/{seriesId:guid}/change-from", ChangeSeries).WithName("ChangeSeriesFromDate").AuditsPatientData("scheduling.series")
            .Idempotent()
            .WithSummary("Edits a series from a date onward: later occurrences are cancelled and a new series carries on; earlier ones stay");
        api.MapGet("/{id:guid}/sessions", ListCohortSessions).WithName("ListCohortSessions")
            .AuditsPatientData("scheduling.cohortSessions")
            .WithSummary("The cohort's sessions starting in [from, to) with their rosters; defaults to the next 14 days; paged (limit, cursor)");
        return api;
    }

    static async Task<Results<Created<SeriesDto>, ValidationProblem, NotFound>> CreateSeries(
        Guid id, CreateSeriesRequest request, ClinicContext clinic, Cohorts cohorts, SeriesStore series,
        IOptions<SchedulingOptions> options, TimeProvider clock, CancellationToken ct)
    {
        if (await cohorts.Find(clinic.ClinicId, id, ct) is not { } cohort) return TypedResults.NotFound();
        var proposal = new SeriesProposal(request.Rrule, request.StartsAtLocal, request.DurationMinutes, request.TimeZone ?? cohort.TimeZone);
        if (!SeriesRule.TryCreate(proposal, clock.GetUtcNow(), out var rule, out var errors, options.Value.MinimumSessionMinutes))
            return TypedResults.ValidationProblem(errors.ToProblemErrors());
        if (await series.Create(clinic.ClinicId, id, rule, ct) is not var (stored, count)) return TypedResults.NotFound();
        return TypedResults.Created($"/api/scheduling/cohorts/{id}/sessions", new SeriesDto(stored.Id, id, stored.Rrule,
            stored.FirstStartLocal.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture), stored.DurationMinutes, stored.TimeZone,
            stored.MaterialisedUntil, count));
    }

    static async Task<Results<Created<SeriesChangeDto>, ValidationProblem, NotFound>> ChangeSeries(
        Guid id, Guid seriesId, ChangeSeriesRequest request, ClinicContext clinic, SeriesStore series, IOptions<SchedulingOptions> options,
        TimeProvider clock, CancellationToken ct)
    {
        if (await series.Find(clinic.ClinicId, id, seriesId, ct) is not { } old) return TypedResults.NotFound();
        var now = clock.GetUtcNow();
        var errors = new ValidationErrors();
        if (request.From is not { } from) errors.Add("from", "The instant from which the series changes is required.");
        else if (from <= now) errors.Add("from", "A series can only be changed from a future instant; past occurrences stay as they were.");
        else if (from > now + options.Value.SeriesHorizon)
            errors.Add("from", $"A series can be changed from at most {options.Value.SeriesHorizon.TotalDays:0} days ahead (the horizon up to which its sessions exist).");
        var fromValid = !errors.Any;
        if (request.Reason is null) errors.Add("reason", "A reason is required.");
        var proposal = new SeriesProposal(request.Rrule ?? old.Rrule, request.StartsAtLocal, request.DurationMinutes ?? old.DurationMinutes,
            request.TimeZone ?? old.TimeZone);
        SeriesRule.TryCreate(proposal, now, out var rule, out var ruleErrors, options.Value.MinimumSessionMinutes);
        errors.AddAll(ruleErrors);
        if (rule is not null && fromValid && rule.OccursBefore(request.From!.Value))
            errors.Add("startsAtLocal", "The new series must start at or after 'from'.");
        if (errors.Any || rule is null) return TypedResults.ValidationProblem(errors.ToDictionary());

        if (await series.ChangeFrom(clinic.ClinicId, id, seriesId, request.From!.Value, rule, request.Reason!.Value, ct) is not { } change)
            return TypedResults.NotFound();
        var stored = change.Series;
        return TypedResults.Created($"/api/scheduling/cohorts/{id}/sessions", new SeriesChangeDto(new SeriesDto(stored.Id, id, stored.Rrule,
            stored.FirstStartLocal.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture), stored.DurationMinutes, stored.TimeZone,
            stored.MaterialisedUntil, change.Occurrences), seriesId, change.Cancelled));
    }

    static async Task<Results<Ok<IReadOnlyList<CohortSessionDto>>, ValidationProblem, NotFound>> ListCohortSessions(
        Guid id, string? from, string? to, int? limit, string? cursor, ClinicContext clinic, ScheduleReads reads, TimeProvider clock,
        HttpContext http, CancellationToken ct)
    {
        if (!Windows.TryRead(from, to, clock.GetUtcNow(), out var window, out var problem)) return problem;
        if (!KeysetPages.TryRead(limit, cursor, out var page, out var pageProblem)) return pageProblem;
        if (await reads.ForCohort(clinic.ClinicId, id, window, page, ct) is not { } found) return TypedResults.NotFound();
        KeysetPages.Announce(http, found.NextCursor);
        return TypedResults.Ok<IReadOnlyList<CohortSessionDto>>(found.Sessions.Select(CohortSessionDto.From).ToList());
    }

    static async Task<Results<Created<CohortDto>, ValidationProblem, NotFound>> CreateCohort(
        CreateCohortRequest request, ClinicContext clinic, Cohorts cohorts, CancellationToken ct)
    {
        var proposal = new CohortProposal(request.ProgramId, request.Name, request.FacilitatorClinicianId, request.Capacity, request.TimeZone,
            request.Rolling);
        if (!NewCohort.TryCreate(proposal, out var cohort, out var errors)) return TypedResults.ValidationProblem(errors.ToProblemErrors());
        // A program of another clinic is answered like a missing one, as every write naming a resource the clinic does not own.
        if (await cohorts.Create(clinic.ClinicId, cohort, ct) is not { } stored) return TypedResults.NotFound();
        return TypedResults.Created($"/api/scheduling/cohorts/{stored.Id}", CohortDto.From(stored));
    }

    static async Task<Results<Ok<CohortDto>, NotFound>> GetCohort(Guid id, ClinicContext clinic, Cohorts cohorts, CancellationToken ct) =>
        await cohorts.Show(clinic.ClinicId, id, ct) is { } cohort ? TypedResults.Ok(CohortDto.From(cohort)) : TypedResults.NotFound();

    static async Task<Results<Ok<CohortDto>, ValidationProblem, NotFound>> ChangeCapacity(
        Guid id, ChangeCapacityRequest request, ClinicContext clinic, Cohorts cohorts, CancellationToken ct) =>
        await cohorts.ChangeCapacity(clinic.ClinicId, id, request.Capacity, ct) switch
        {
            ({ } cohort, _) => TypedResults.Ok(CohortDto.From(cohort)),
            (_, { } error) => FieldErrors.Problem(error),
            _ => TypedResults.NotFound()
        };

    static async Task<Results<Created<EnrolmentDto>, ValidationProblem, NotFound, ProblemHttpResult>> Enrol(
        Guid id, EnrolRequest request, ClinicContext clinic, Cohorts cohorts, CancellationToken ct)
    {
        if (request.PatientId is not { } patientId || patientId == Guid.Empty)
            return FieldErrors.Problem(new FieldError("patientId", "The patient id is required."));
        var result = await cohorts.Enrol(clinic.ClinicId, id, patientId, ct);
        return result.Enrolment is { } enrolment
            ? TypedResults.Created($"/api/scheduling/cohorts/{id}/enrolments/{patientId}", EnrolmentDto.From(enrolment))
            : Refusal(result.Refusal!.Value);
    }

    static async Task<Results<Ok<CohortDto>, ValidationProblem, NotFound>> ChangeRolling(
        Guid id, ChangeRollingRequest request, ClinicContext clinic, Cohorts cohorts, CancellationToken ct)
    {
        if (request.Rolling is not { } rolling) return FieldErrors.Problem(new FieldError("rolling", "Say whether the cohort is rolling (true or false)."));
        return await cohorts.ChangeRolling(clinic.ClinicId, id, rolling, ct) is { } cohort ? TypedResults.Ok(CohortDto.From(cohort)) : TypedResults.NotFound();
    }

    static async Task<Results<Ok<EnrolmentDto>, NotFound, ProblemHttpResult>> Rejoin(
        Guid id, Guid patientId, ClinicContext clinic, Cohorts cohorts, CancellationToken ct)
    {
        var result = await cohorts.Rejoin(clinic.ClinicId, id, patientId, ct);
        if (result.Enrolment is { } enrolment) return TypedResults.Ok(EnrolmentDto.From(enrolment));
        return result.Refusal switch
        {
            EnrolmentRefusal.CohortNotFound or EnrolmentRefusal.NotEnrolled => TypedResults.NotFound(),
            EnrolmentRefusal.NotRolling => TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Cohort not rolling",
                detail: "Only a rolling cohort takes a discharged patient back on the same enrolment; enrol the patient instead."),
            EnrolmentRefusal.StillEnrolled => TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Still enrolled",
                detail: "The patient is still enrolled in this cohort: there is nothing to rejoin."),
            EnrolmentRefusal.AlreadyEnrolled => TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Already enrolled",
                detail: "The patient is enrolled in another cohort of this program; transfer them instead."),
            _ => TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Cohort full", detail: "The cohort has no free seat.")
        };
    }

    static async Task<Results<NoContent, NotFound>> Discharge(Guid id, Guid patientId, ClinicContext clinic, Cohorts cohorts, CancellationToken ct) =>
        await cohorts.Discharge(clinic.ClinicId, id, patientId, ct) ? TypedResults.NoContent() : TypedResults.NotFound();

    static async Task<Results<Created<EnrolmentDto>, ValidationProblem, NotFound, ProblemHttpResult>> Transfer(
        Guid id, Guid patientId, TransferRequest request, ClinicContext clinic, Cohorts cohorts, CancellationToken ct)
    {
        if (request.ToCohortId is not { } to || to == Guid.Empty)
            return FieldErrors.Problem(new FieldError("toCohortId", "The target cohort id is required."));
        var result = await cohorts.Transfer(clinic.ClinicId, id, patientId, to, ct);
        return result.Enrolment is { } enrolment
            ? TypedResults.Created($"/api/scheduling/cohorts/{to}/enrolments/{patientId}", EnrolmentDto.From(enrolment))
            : Refusal(result.Refusal!.Value);
    }

    static Results<Created<EnrolmentDto>, ValidationProblem, NotFound, ProblemHttpResult> Refusal(EnrolmentRefusal why) => why switch
    {
        EnrolmentRefusal.CohortNotFound or EnrolmentRefusal.NotEnrolled => TypedResults.NotFound(),
        EnrolmentRefusal.AlreadyEnrolled => TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Already enrolled",
            detail: "The patient is already enrolled in a cohort of this program; transfer them instead."),
        EnrolmentRefusal.CohortFull => TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Cohort full",
            detail: "The cohort has no free seat."),
        EnrolmentRefusal.OtherProgram => FieldErrors.Problem(new FieldError("toCohortId", "The target cohort belongs to another program.")),
        EnrolmentRefusal.SameCohort => FieldErrors.Problem(new FieldError("toCohortId", "The patient is already in this cohort.")),
        _ => throw new ArgumentOutOfRangeException(nameof(why), why, null)
    };
}
