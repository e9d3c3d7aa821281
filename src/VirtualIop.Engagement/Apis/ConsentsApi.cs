using Microsoft.AspNetCore.Http.HttpResults;
using VirtualIop.BuildingBlocks.Audit;
using VirtualIop.BuildingBlocks.Auth;
using VirtualIop.BuildingBlocks.Http;
using VirtualIop.BuildingBlocks.Http.Idempotency;
using VirtualIop.Engagement.Data;
using VirtualIop.Engagement.Domain;

namespace VirtualIop.Engagement.Apis;

public sealed record GrantConsentRequest(
    string? RecipientName,
    string? RecipientContact,
    string? RecipientKind,
    string? Purpose,
    string? Scope,
    DateTimeOffset? ExpiresAt,
    DateOnly? SignedOn);

public sealed record RevokeConsentRequest(string? Reason);

public sealed record RecordDisclosureRequest(Guid? ConsentId, string? Description);

public static class ConsentsApi
{
    const int MaxText = 2000;

    public static IEndpointRouteBuilder MapConsentsApi(this IEndpointRouteBuilder app)
    {
        var consents = app.MapGroup("/api/engagement/patients/{patientId:guid}/consents").RequireAuthorization().WithTags("Consents");
        consents.MapPost("/", Grant).WithName("GrantConsent")
            .Idempotent()
            .AuditsPatientData("engagement.consents")
            .WithSummary("Record a patient's consent to involve a family member or supporter (42 CFR Part 2 §2.31)");
        consents.MapGet("/", List).WithName("ListConsents").WithSummary("A patient's consents, with their status now, oldest first; paged (limit, cursor)")
            .AuditsPatientData("engagement.consents");
        consents.MapPost("/{consentId:guid}/revocation", Revoke).WithName("RevokeConsent").WithSummary("The patient revokes a consent")
            .AuditsPatientData("engagement.consents");

        var disclosures = app.MapGroup("/api/engagement/patients/{patientId:guid}/disclosures").RequireAuthorization().WithTags("Consents");
        disclosures.MapPost("/", Disclose).WithName("RecordDisclosure")
            .Idempotent()
            .AuditsPatientData("engagement.disclosures")
            .WithSummary("Record a contact with a consent's recipient; refused without a valid consent (§2.25 accounting)");
        disclosures.MapGet("/", ListDisclosures).WithName("ListDisclosures").WithSummary("The accounting of disclosures for a patient (§2.25), oldest first; paged (limit, cursor)")
            .AuditsPatientData("engagement.disclosures");

        app.MapGet("/api/engagement/patients/{patientId:guid}/family-involvement", ListFamilyInvolvement).RequireAuthorization().WithTags("Consents")
            .WithName("ListFamilyInvolvementDecisions")
            .AuditsPatientData("engagement.familyInvolvement")
            .WithSummary("Every decision about involving family or support: tasks opened under a consent, withheld without one, cancelled by a revocation; oldest first, paged (limit, cursor)");
        return app;
    }

    static async Task<Results<Created<ConsentView>, ValidationProblem, NotFound>> Grant(
        Guid patientId, GrantConsentRequest request, ClinicContext clinic, Consents consents, TimeProvider clock, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var errors = new ValidationErrors();
        Text(request.RecipientName, "recipientName", errors);
        Text(request.RecipientContact, "recipientContact", errors);
        Text(request.Purpose, "purpose", errors);
        if (!WireName.TryParse<RecipientKind>(request.RecipientKind, out var kind)) errors.Add("recipientKind", $"Must be one of: {Wire.Choices<RecipientKind>()}.");
        if (!WireName.TryParse<ConsentScope>(request.Scope, out var scope)) errors.Add("scope", $"Must be one of: {Wire.Choices<ConsentScope>()}.");
        errors.Require(request.ExpiresAt is not null, "expiresAt", "Required: a consent must say when it expires.");
        errors.Require(request.ExpiresAt is null || request.ExpiresAt > now, "expiresAt", "Must be in the future.");
        errors.RequireWithin("expiresAt", request.ExpiresAt).RequireWithin("signedOn", request.SignedOn);
        errors.Require(request.SignedOn is not null, "signedOn", "Required: the day the patient signed.");
        errors.Require(request.SignedOn is null || request.SignedOn <= DateOnly.FromDateTime(now.UtcDateTime.AddDays(1)), "signedOn", "Cannot be in the future.");
        if (errors.Any) return TypedResults.ValidationProblem(errors.ToDictionary());

        var (change, consent) = await consents.Grant(clinic, patientId, new NewConsent(request.RecipientName!.Trim(), request.RecipientContact!.Trim(), kind,
            request.Purpose!.Trim(), scope, request.ExpiresAt!.Value, request.SignedOn!.Value), ct);
        return change == ConsentChange.Done
            ? TypedResults.Created($"/api/engagement/patients/{patientId}/consents/{consent!.Id}", consent)
            : TypedResults.NotFound();
    }

    static Task<Results<Ok<IReadOnlyList<ConsentView>>, ValidationProblem>> List(Guid patientId, int? limit, string? cursor, ClinicContext clinic,
        Consents consents, HttpContext http, CancellationToken ct) =>
        KeysetPages.Serve(limit, cursor, http, page => consents.ForPatient(clinic, patientId, page, ct));

    static async Task<Results<Ok<ConsentView>, ValidationProblem, NotFound, ProblemHttpResult>> Revoke(
        Guid patientId, Guid consentId, RevokeConsentRequest request, ClinicContext clinic, Consents consents, CancellationToken ct)
    {
        if (request.Reason is { Length: > MaxText })
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["reason"] = [$"At most {MaxText} characters."] });
        var (change, consent) = await consents.Revoke(clinic, patientId, consentId, request.Reason?.Trim(), ct);
        return change switch
        {
            ConsentChange.Done => TypedResults.Ok(consent!),
            ConsentChange.NotValid => TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Consent no longer valid",
                detail: $"The consent is {WireName.Of(consent!.Status)}: there is nothing to revoke."),
            _ => TypedResults.NotFound()
        };
    }

    static async Task<Results<Created<DisclosureView>, ValidationProblem, NotFound, ProblemHttpResult>> Disclose(
        Guid patientId, RecordDisclosureRequest request, ClinicContext clinic, Consents consents, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        errors.Require(request.ConsentId is { } id && id != Guid.Empty, "consentId", "Required: the consent the contact relies on.");
        Text(request.Description, "description", errors);
        if (errors.Any) return TypedResults.ValidationProblem(errors.ToDictionary());

        var (change, disclosure, consent) = await consents.Disclose(clinic, patientId, request.ConsentId!.Value, request.Description!.Trim(), ct);
        return change switch
        {
            ConsentChange.Done => TypedResults.Created($"/api/engagement/patients/{patientId}/disclosures", disclosure!),
            ConsentChange.NotValid => TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "No valid consent",
                detail: $"The consent is {WireName.Of(consent!.Status)}: contacting its recipient is not allowed (42 CFR Part 2 §2.31)."),
            _ => TypedResults.NotFound()
        };
    }

    static Task<Results<Ok<IReadOnlyList<DisclosureView>>, ValidationProblem>> ListDisclosures(Guid patientId, int? limit, string? cursor,
        ClinicContext clinic, Consents consents, HttpContext http, CancellationToken ct) =>
        KeysetPages.Serve(limit, cursor, http, page => consents.Disclosures(clinic, patientId, page, ct));

    static Task<Results<Ok<IReadOnlyList<FamilyInvolvementDecisionView>>, ValidationProblem>> ListFamilyInvolvement(Guid patientId, int? limit,
        string? cursor, ClinicContext clinic, FamilyInvolvement family, HttpContext http, CancellationToken ct) =>
        KeysetPages.Serve(limit, cursor, http, page => family.ForPatient(clinic, patientId, page, ct));

    static void Text(string? value, string field, ValidationErrors errors) =>
        errors.Require(!string.IsNullOrWhiteSpace(value) && value.Length <= MaxText, field, $"Required, at most {MaxText} characters.");
}
