using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using VirtualIop.BuildingBlocks.Audit;
using VirtualIop.BuildingBlocks.Auth;
using VirtualIop.BuildingBlocks.Http;
using VirtualIop.BuildingBlocks.Http.Idempotency;
using VirtualIop.Contracts.Engagement;
using VirtualIop.Engagement.Data;
using VirtualIop.Engagement.Domain;

namespace VirtualIop.Engagement.Apis;

public sealed record AdjustPlanRequest(string? Change, int? SessionsPerWeek, string? Modality, string? Rationale, string? EffectiveFrom = null);

public static class TreatmentPlanApi
{
    const int MaxRationale = 4000;

    public static RouteGroupBuilder MapTreatmentPlanApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/engagement/patients/{patientId:guid}/treatment-plan").RequireAuthorization().WithTags("Treatment plan");
        api.MapGet("/", GetLog).WithName("GetTreatmentPlanLog").WithSummary("A patient's treatment-plan log, oldest first (append-only); paged (limit, cursor)")
            .AuditsPatientData("engagement.treatmentPlan");
        api.MapPost("/adjustments", Adjust).WithName("AdjustTreatmentPlan")
            .Idempotent()
            .AuditsPatientData("engagement.treatmentPlan")
            .WithSummary("Append a frequency or modality adjustment (optionally from effectiveFrom) with its rationale; through PlanAdjusted Scheduling moves the patient's future sessions to it");
        return api;
    }

    static Task<Results<Ok<IReadOnlyList<PlanEntryView>>, ValidationProblem>> GetLog(Guid patientId, int? limit, string? cursor, ClinicContext clinic,
        TreatmentPlanLog log, HttpContext http, CancellationToken ct) =>
        KeysetPages.Serve(limit, cursor, http, page => log.ForPatient(clinic, patientId, page, ct));

    static async Task<Results<Created<PlanEntryView>, ValidationProblem, NotFound>> Adjust(
        Guid patientId, AdjustPlanRequest request, ClinicContext clinic, TreatmentPlanLog log, HttpContext http, TimeProvider clock, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        DateOnly? effectiveFrom = null;
        if (!WireName.TryParse<PlanChange>(request.Change, out var change)) errors.Add("change", $"Must be one of: {Wire.Choices<PlanChange>()}.");
        TreatmentModality? modality = null;
        if (change == PlanChange.Frequency)
        {
            errors.Require(request.SessionsPerWeek is { } n && PlanAdjusted.IsValidSessionsPerWeek(n), "sessionsPerWeek",
                $"A frequency change needs the new sessions per week, {PlanAdjusted.MinSessionsPerWeek} to {PlanAdjusted.MaxSessionsPerWeek}.");
            errors.Require(request.Modality is null, "modality", "Leave out for a frequency change.");
        }
        else
        {
            if (WireName.TryParse<TreatmentModality>(request.Modality, out var m)) modality = m;
            else errors.Add("modality", $"A modality change needs one of: {Wire.Choices<TreatmentModality>()}.");
            errors.Require(request.SessionsPerWeek is null, "sessionsPerWeek", "Leave out for a modality change.");
        }
        if (request.EffectiveFrom is not null)
        {
            // A day's slack: the clinician's today may still be yesterday in UTC. Sessions already started never change anyway.
            var earliest = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime).AddDays(-1);
            if (DateOnly.TryParseExact(request.EffectiveFrom, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var from)
                && from >= earliest && InputBounds.IsWithin(from))
                effectiveFrom = from;
            else errors.Add("effectiveFrom", "The first date the change governs, as YYYY-MM-DD, today or later; leave out for at once.");
        }
        errors.Require(!string.IsNullOrWhiteSpace(request.Rationale) && request.Rationale.Length <= MaxRationale, "rationale",
            $"Required: why the plan changes, at most {MaxRationale} characters.");
        if (errors.Any) return TypedResults.ValidationProblem(errors.ToDictionary());

        var entry = await log.Adjust(clinic, patientId,
            new NewPlanAdjustment(change, change == PlanChange.Frequency ? request.SessionsPerWeek : null, effectiveFrom, modality, request.Rationale!.Trim(),
                Caller.StaffRole(http.User) is null ? null : http.User.FindFirstValue(PartnerClaims.Subject)), ct);
        return entry is null ? TypedResults.NotFound() : TypedResults.Created($"/api/engagement/patients/{patientId}/treatment-plan", entry);
    }
}
