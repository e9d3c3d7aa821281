using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using VirtualIop.BuildingBlocks.Audit;
using VirtualIop.BuildingBlocks.Auth;
using VirtualIop.BuildingBlocks.Http;
using VirtualIop.Notification.Data;
using VirtualIop.Notification.Domain;
using VirtualIop.Notification.Extensions;

namespace VirtualIop.Notification.Apis;

public sealed record RedeemPatientLinkRequest(string? Token);

/// <summary>A live personal link: whose it is, and until when it works (a session opened from it should end by then).</summary>
public sealed record PatientLinkRedeemed(Guid ClinicId, Guid PatientId, DateTimeOffset ExpiresAt);

public sealed record PatientLinksRevoked(Guid PatientId, int Revoked);

/// <summary>A personal link to the patient's pages, and until when it works.</summary>
public sealed record PatientLinkIssued(Guid PatientId, string Url, DateTimeOffset ExpiresAt);

/// <summary>
/// Personal links (<see cref="PatientLinks"/>). Redemption is internal: the gateway (or a clinic's own patient app)
/// posts the token from <c>{portal}/p/{token}</c> and gets back the clinic and patient it stands for; it is not routed
/// to partners and not in the partner document. Staff and partners revoke a patient's links.
/// </summary>
public static class PatientLinksApi
{
    public const string RedemptionPath = "/internal/patient-links/redemptions";

    public static IEndpointRouteBuilder MapPatientLinksApi(this IEndpointRouteBuilder app)
    {
        app.MapPost(RedemptionPath, Redeem).RequireAuthorization(PatientLinkRedemption.Policy).WithTags("Patient links")
            .WithName("RedeemPatientLink").WithSummary("Exchanges a personal link's token for the clinic and patient it stands for")
            .AuditsPatientData("patient-link").DisableAntiforgery();
        var links = app.MapGroup("/api/notification/patients/{patientId:guid}/links").RequireAuthorization().WithTags("Patient links");
        // 200, not 201: the link is a bearer secret, not a resource to fetch again, and a retry may mint a second one.
        links.MapPost("/", Issue).WithName("IssuePatientLink")
            .WithSummary("Issues a personal link to the patient's pages for the care team to hand over; it works like the links in messages")
            .AuditsPatientData("patient-link");
        links.MapPost("/revocation", Revoke).WithName("RevokePatientLinks")
            .WithSummary("Revokes every personal link of the patient that still works; messages sent before no longer open their pages")
            .AuditsPatientData("patient-link");
        return app;
    }

    static async Task<Results<Ok<PatientLinkRedeemed>, ValidationProblem, ProblemHttpResult>> Redeem(
        RedeemPatientLinkRequest request, ClaimsPrincipal user, PersonalLinks links, CancellationToken ct)
    {
        var errors = new ValidationErrors()
            .Require(!string.IsNullOrWhiteSpace(request.Token), "token", "The token from the link is required.")
            .RequireLength("token", request.Token, InputBounds.MaxShortText);
        if (errors.Any) return TypedResults.ValidationProblem(errors.ToDictionary());
        return await links.Redeem(request.Token!, user.FindFirstValue(PartnerClaims.ClientId) ?? "unknown", ct) switch
        {
            LinkRedemption.Valid valid => TypedResults.Ok(new PatientLinkRedeemed(valid.ClinicId, valid.PatientId, valid.ExpiresAt)),
            LinkRedemption.Expired => TypedResults.Problem(statusCode: StatusCodes.Status410Gone, title: "This link has expired",
                detail: "The link worked for a limited time. A newer message from the clinic carries a fresh one; the care team can also send one."),
            _ => UnknownResource.Problem("patient-link")
        };
    }

    static async Task<Results<Ok<PatientLinkIssued>, ValidationProblem>> Issue(
        Guid patientId, ClinicContext clinic, PersonalLinks links, PatientPortals portals, IOptions<NotificationOptions> options, CancellationToken ct)
    {
        if (patientId == Guid.Empty)
            return TypedResults.ValidationProblem(new ValidationErrors().Require(false, "patientId", "A patient id is required.").ToDictionary());
        var portal = await portals.Find(clinic.ClinicId, ct) ?? options.Value.PatientPortalUrl;
        var (token, expiresAt) = await links.Issue(clinic, patientId, ct);
        return TypedResults.Ok(new PatientLinkIssued(patientId, PatientLinks.Build(portal, token, PatientLinks.PagePath(PatientPage.Sessions)), expiresAt));
    }

    static async Task<Results<Ok<PatientLinksRevoked>, ValidationProblem>> Revoke(
        Guid patientId, ClinicContext clinic, PersonalLinks links, CancellationToken ct)
    {
        if (patientId == Guid.Empty)
            return TypedResults.ValidationProblem(new ValidationErrors().Require(false, "patientId", "A patient id is required.").ToDictionary());
        return TypedResults.Ok(new PatientLinksRevoked(patientId, await links.RevokeAll(clinic, patientId, ct)));
    }
}
