using Microsoft.AspNetCore.Http.HttpResults;
using VirtualIop.BuildingBlocks.Audit;
using VirtualIop.BuildingBlocks.Auth;
using VirtualIop.BuildingBlocks.Http;
using VirtualIop.Notification.Data;
using VirtualIop.Notification.Domain;

namespace VirtualIop.Notification.Apis;

public sealed record SaveClinicianContactRequest(string? Email, Language? Language = null, string? Phone = null);

/// <summary>Clinicians: where their alerts go, and the outreach still pending about their patients.</summary>
public static class CliniciansApi
{
    public static RouteGroupBuilder MapCliniciansApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/notification/clinicians/{clinicianId:guid}").RequireAuthorization().WithTags("Clinicians");
        api.MapPut("/contact", SaveContact).WithName("SaveClinicianContact").WithSummary("Sets where a clinician's alerts about their patients go");
        api.MapGet("/contact", GetContact).WithName("GetClinicianContact").WithSummary("A clinician's contact for alerts");
        api.MapGet("/pending-outreach", PendingOutreach).WithName("ListPendingOutreach")
            .WithSummary("Messages still to go out about the clinician's patients, and alerts still to reach the clinician, a page at a time (?limit=&cursor=)")
            .AuditsPatientData("notification.pendingOutreach");
        return api;
    }

    static async Task<Results<Ok<ClinicianContact>, ValidationProblem>> SaveContact(
        Guid clinicianId, SaveClinicianContactRequest request, ClinicContext clinic, Clinicians clinicians, CancellationToken ct)
    {
        var email = request.Email?.Trim();
        var phone = string.IsNullOrWhiteSpace(request.Phone) ? null : request.Phone.Trim();
        var errors = new ValidationErrors()
            .Require(clinicianId != Guid.Empty, "clinicianId", "A clinician id is required.")
            .Require(email is not null && ContactsApi.IsPlainAddress(email), "email", "A valid email address is required.")
            .Require(phone is null || ContactRules.IsE164(phone), "phone", "Not an E.164 phone number (for example +15551234567).");
        if (errors.Any) return TypedResults.ValidationProblem(errors.ToDictionary());

        var contact = new ClinicianContact { ClinicianId = clinicianId, Email = email!, Phone = phone, Language = request.Language ?? Language.En };
        return TypedResults.Ok(await clinicians.Save(clinic, contact, ct));
    }

    static async Task<Results<Ok<ClinicianContact>, NotFound>> GetContact(Guid clinicianId, ClinicContext clinic, Clinicians clinicians, CancellationToken ct) =>
        await clinicians.Find(clinic, clinicianId, ct) is { } contact ? TypedResults.Ok(contact) : TypedResults.NotFound();

    static Task<Results<Ok<IReadOnlyList<Delivery>>, ValidationProblem>> PendingOutreach(
        Guid clinicianId, int? limit, string? cursor, HttpContext http, ClinicContext clinic, Deliveries deliveries, CancellationToken ct) =>
        KeysetPages.Serve(limit, cursor, http, page => deliveries.PendingOutreach(clinic, clinicianId, page, ct));
}
