using Microsoft.AspNetCore.Http.HttpResults;
using VirtualIop.BuildingBlocks.Audit;
using VirtualIop.BuildingBlocks.Auth;
using VirtualIop.BuildingBlocks.Http;
using VirtualIop.Engagement.Data;
using VirtualIop.Engagement.Domain;

namespace VirtualIop.Engagement.Apis;

public sealed record ReportItemRequest(string? State);

public sealed record WaiveCatchUpRequest(string? Reason);

public static class ContinuityApi
{
    const int MaxReasonLength = 2000;

    public static RouteGroupBuilder MapContinuityApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/engagement/patients/{patientId:guid}/continuity").RequireAuthorization().WithTags("Continuity");
        api.MapGet("/", GetContinuity).WithName("GetPatientContinuity").AllowPatientSelf()
            .AuditsPatientData("engagement.continuity")
            .WithSummary("A patient's missed content and whether catch-up is required (outstanding=true: only what is not addressed)");
        api.MapPost("/{packageId:guid}/items/{kind}", ReportItem).WithName("ReportContinuityItem").AllowPatientSelf()
            .AuditsPatientData("engagement.continuity")
            .WithSummary("The patient (or the clinic's app for them) reports opening or finishing one item of their missed content, such as homework done");
        api.MapPost("/{packageId:guid}/waiver", Waive).WithName("WaiveCatchUp")
            .AuditsPatientData("engagement.continuity")
            .WithSummary("A clinician waives the catch-up for one missed session, with a reason");
        return api;
    }

    static async Task<Ok<PatientContinuityView>> GetContinuity(
        Guid patientId, bool? outstanding, ClinicContext clinic, ContinuityPackages packages, CancellationToken ct) =>
        TypedResults.Ok(await packages.ForPatient(clinic, patientId, outstanding ?? false, ct));

    static async Task<Results<Ok<ContinuityPackageView>, ValidationProblem, NotFound>> ReportItem(
        Guid patientId, Guid packageId, string kind, ReportItemRequest request, ClinicContext clinic, ContinuityPackages packages, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        if (!WireName.TryParse<ContinuityItemKind>(kind, out var item)) errors.Add("kind", $"Must be one of: {Wire.Choices<ContinuityItemKind>()}.");
        var done = request.State switch { "opened" => (bool?)false, "done" => true, _ => null };
        errors.Require(done is not null, "state", "Must be one of: opened, done.");
        if (errors.Any) return TypedResults.ValidationProblem(errors.ToDictionary());

        return await packages.ReportItem(clinic, patientId, packageId, item, done!.Value, ct) is { } package
            ? TypedResults.Ok(package)
            : TypedResults.NotFound();
    }

    static async Task<Results<Ok<ContinuityPackageView>, ValidationProblem, NotFound, ProblemHttpResult>> Waive(
        Guid patientId, Guid packageId, WaiveCatchUpRequest request, ClinicContext clinic, ContinuityPackages packages, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(request.Reason) || request.Reason.Length > MaxReasonLength)
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["reason"] = [$"A waiver needs a reason of at most {MaxReasonLength} characters."] });

        var (outcome, package) = await packages.Waive(clinic, patientId, packageId, request.Reason.Trim(), ct);
        return outcome switch
        {
            WaiverOutcome.Waived => TypedResults.Ok(package!),
            WaiverOutcome.AlreadyAddressed => TypedResults.Problem(statusCode: StatusCodes.Status409Conflict,
                title: "Already addressed", detail: $"This missed content was already addressed ({package!.AddressedHow})."),
            _ => TypedResults.NotFound()
        };
    }
}
