using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using VirtualIop.BuildingBlocks.Audit;
using VirtualIop.BuildingBlocks.Auth;
using VirtualIop.BuildingBlocks.Http;
using Microsoft.Extensions.Options;
using VirtualIop.Contracts.Engagement;
using VirtualIop.Scheduling.Data;
using VirtualIop.Scheduling.Domain;
using VirtualIop.Scheduling.Extensions;

namespace VirtualIop.Scheduling.Apis;

public static class SchedulesApi
{
    public static IEndpointRouteBuilder MapSchedulesApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/scheduling").RequireAuthorization().WithTags("Schedules");
        api.MapGet("/patients/{patientId:guid}/sessions", PatientSchedule).WithName("GetPatientSchedule").AllowPatientSelf()
            .AuditsPatientData("scheduling.patientSchedule")
            .WithSummary("A patient's sessions starting in [from, to) (default: the next 14 days) with the join link, by start, paged (limit, cursor)");
        api.MapGet("/clinicians/{clinicianId:guid}/sessions", ClinicianSchedule).WithName("GetClinicianSchedule")
            .AuditsPatientData("scheduling.clinicianSchedule")
            .WithSummary("A clinician's sessions starting in [from, to) (for a day: from=midnight&to=next midnight), by start, paged (limit, cursor)");
        api.MapGet("/patients/{patientId:guid}/plan", PatientPlan).WithName("GetPatientPlan")
            .AuditsPatientData("scheduling.patientPlan")
            .WithSummary("The patient's planned frequency and modality (from Engagement's treatment-plan log) beside the sessions booked for the coming week");
        api.MapGet("/patients/{patientId:guid}/plan/preview", PreviewPlan).WithName("PreviewPatientPlan")
            .RequireStaffRole(StaffRoles.Clinician, StaffRoles.Coordinator)
            .AuditsPatientData("scheduling.patientPlan")
            .WithSummary("Dry run of a frequency change (sessionsPerWeek, optional from=YYYY-MM-DD): the future sessions of the patient's cohorts kept, dropped and added; with modality=group|individual|hybrid (sessionsPerWeek then optional), the group sessions dropped and added, the individual slots that would be booked with the facilitator and the plan's individual sessions that would be cancelled; nothing is written");
        return app;
    }

    static async Task<Results<Ok<PatientPlan>, NotFound>> PatientPlan(Guid patientId, ClinicContext clinic, PatientPlans plans, CancellationToken ct) =>
        await plans.Find(clinic.ClinicId, patientId, ct) is { } plan ? TypedResults.Ok(plan) : TypedResults.NotFound();

    /// <summary>The same computation the PlanAdjusted consumer then applies, so what the clinician confirms is what happens.</summary>
    static async Task<Results<Ok<PlanPreview>, Ok<ModalityPreview>, ValidationProblem, ProblemHttpResult>> PreviewPlan(Guid patientId,
        string? sessionsPerWeek, string? from, string? modality, ClinicContext clinic, PlanParticipation participation, PlanModality modalities,
        CancellationToken ct)
    {
        var errors = new ValidationErrors();
        var perWeek = int.TryParse(sessionsPerWeek, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && PlanAdjusted.IsValidSessionsPerWeek(n)
            ? n : (int?)null;
        errors.Require(perWeek is not null || modality is not null && sessionsPerWeek is null, "sessionsPerWeek",
            $"Required: the sessions per week to preview, {PlanAdjusted.MinSessionsPerWeek} to {PlanAdjusted.MaxSessionsPerWeek}.");
        errors.Require(modality is null || PlanChange.Modalities.Contains(modality), "modality",
            $"Expected one of {string.Join(", ", PlanChange.Modalities)}.");
        DateOnly? effectiveFrom = null;
        if (from is not null)
        {
            if (DateOnly.TryParseExact(from, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)) effectiveFrom = date;
            else errors.Add("from", "Expected a date as YYYY-MM-DD: the first local date the new frequency governs.");
            errors.RequireWithin("from", effectiveFrom);
        }
        if (errors.Any) return TypedResults.ValidationProblem(errors.ToDictionary());
        if (modality is not null)
            return await modalities.Preview(clinic.ClinicId, patientId, modality, perWeek, effectiveFrom, ct) is { } changed
                ? TypedResults.Ok(changed)
                : UnknownResource.Problem("patient");
        return await participation.Preview(clinic.ClinicId, patientId, new FrequencyPlan(perWeek!.Value, effectiveFrom), ct) is { } preview
            ? TypedResults.Ok(preview)
            : UnknownResource.Problem("patient");
    }

    /// <summary>The patient themself sees only their own id on each session, never who else is in the group.</summary>
    static async Task<Results<Ok<IReadOnlyList<PatientSessionDto>>, ValidationProblem>> PatientSchedule(
        Guid patientId, string? from, string? to, int? limit, string? cursor, ClinicContext clinic, ScheduleReads reads, TimeProvider clock,
        IOptions<SchedulingOptions> options, HttpContext http, CancellationToken ct)
    {
        if (!Windows.TryRead(from, to, clock.GetUtcNow(), out var window, out var problem)) return problem;
        var joinUrl = options.Value.CalendarFeeds.JoinUrlTemplate;
        var wholeRoster = Caller.PatientId(http.User) is null;
        return await KeysetPages.Serve(limit, cursor, http, async page =>
        {
            var found = await reads.ForPatient(clinic.ClinicId, patientId, window, page, wholeRoster, ct);
            return ((IReadOnlyList<PatientSessionDto>)found.Sessions.Select(s => PatientSessionDto.From(s, joinUrl)).ToList(), found.NextCursor);
        });
    }

    static async Task<Results<Ok<IReadOnlyList<CohortSessionDto>>, ValidationProblem>> ClinicianSchedule(
        Guid clinicianId, string? from, string? to, int? limit, string? cursor, ClinicContext clinic, ScheduleReads reads, TimeProvider clock,
        HttpContext http, CancellationToken ct)
    {
        if (!Windows.TryRead(from, to, clock.GetUtcNow(), out var window, out var problem)) return problem;
        return await KeysetPages.Serve(limit, cursor, http, async page =>
        {
            var found = await reads.ForClinician(clinic.ClinicId, clinicianId, window, page, ct);
            return ((IReadOnlyList<CohortSessionDto>)found.Sessions.Select(CohortSessionDto.From).ToList(), found.NextCursor);
        });
    }
}
