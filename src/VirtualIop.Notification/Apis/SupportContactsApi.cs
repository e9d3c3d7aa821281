using Microsoft.AspNetCore.Http.HttpResults;
using VirtualIop.BuildingBlocks.Audit;
using VirtualIop.BuildingBlocks.Auth;
using VirtualIop.BuildingBlocks.Http;
using VirtualIop.Notification.Data;
using VirtualIop.Notification.Domain;

namespace VirtualIop.Notification.Apis;

/// <summary>A family member or supporter: the consent (from Engagement) that names them, its kind (family, supportPerson), where to write.</summary>
public sealed record SaveSupportContactRequest(Guid? ConsentId, string? RecipientKind, string? Email, Language? Language = null);

/// <summary>
/// Family and support contacts. They are written to only while a consent covers them, the purpose and the date; every
/// message is a disclosure, listed for the patient's accounting.
/// </summary>
public static class SupportContactsApi
{
    static readonly string[] RecipientKinds = ["family", "supportPerson"];

    public static RouteGroupBuilder MapSupportContactsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/notification/patients/{patientId:guid}").RequireAuthorization().WithTags("Support contacts");
        api.MapPut("/support-contacts/{contactId:guid}", SaveContact).WithName("SaveSupportContact")
            .AuditsPatientData("notification.supportContacts")
            .WithSummary("Registers a family or support contact under the consent that names them");
        api.MapGet("/support-contacts", ListContacts).WithName("ListSupportContacts")
            .WithSummary("A patient's family and support contacts, a page at a time (?limit=&cursor=)")
            .AuditsPatientData("notification.supportContacts");
        api.MapGet("/disclosures", ListDisclosures).WithName("ListSupportContactDisclosures")
            .WithSummary("Every message sent to a patient's support contacts (§2.25), a page at a time (?limit=&cursor=)")
            .AuditsPatientData("notification.disclosures");
        return api;
    }

    static async Task<Results<Ok<SupportContact>, ValidationProblem, ProblemHttpResult>> SaveContact(
        Guid patientId, Guid contactId, SaveSupportContactRequest request, ClinicContext clinic, Consents consents, TimeProvider clock, CancellationToken ct)
    {
        var email = request.Email?.Trim();
        var errors = new ValidationErrors()
            .Require(patientId != Guid.Empty, "patientId", "A patient id is required.")
            .Require(contactId != Guid.Empty, "contactId", "A contact id is required.")
            .Require(request.ConsentId is { } consent && consent != Guid.Empty, "consentId", "The consent that names this contact is required.")
            .Require(request.RecipientKind is { } kind && RecipientKinds.Contains(kind), "recipientKind", "One of family, supportPerson.")
            .Require(email is not null && ContactsApi.IsPlainAddress(email), "email", "A valid email address is required.");
        if (errors.Any) return TypedResults.ValidationProblem(errors.ToDictionary());

        var contact = new SupportContact
        {
            Id = contactId, PatientId = patientId, ConsentId = request.ConsentId!.Value, RecipientKind = request.RecipientKind!, Email = email!,
            Language = WireName.Of(request.Language ?? Language.En)
        };
        // Another patient's contact id, or a consent not known here as this patient's: not this patient's to use.
        return await consents.SaveContact(clinic, contact, clock.GetUtcNow(), ct) is { } saved
            ? TypedResults.Ok(saved)
            : UnknownResource.Problem("consent", "Notification");
    }

    static Task<Results<Ok<IReadOnlyList<SupportContact>>, ValidationProblem>> ListContacts(
        Guid patientId, int? limit, string? cursor, HttpContext http, ClinicContext clinic, Consents consents, CancellationToken ct) =>
        KeysetPages.Serve(limit, cursor, http, page => consents.ContactsOf(clinic, patientId, page, ct));

    static Task<Results<Ok<IReadOnlyList<Disclosure>>, ValidationProblem>> ListDisclosures(
        Guid patientId, int? limit, string? cursor, HttpContext http, ClinicContext clinic, Consents consents, CancellationToken ct) =>
        KeysetPages.Serve(limit, cursor, http, page => consents.DisclosuresOf(clinic, patientId, page, ct));
}
