using System.Net.Mail;
using Microsoft.AspNetCore.Http.HttpResults;
using VirtualIop.BuildingBlocks.Auth;
using VirtualIop.BuildingBlocks.Http;
using VirtualIop.Notification.Data;

namespace VirtualIop.Notification.Apis;

public sealed record SaveContactRequest(string? Email);

public static class ContactsApi
{
    const int MaxEmailLength = 254;

    public static RouteGroupBuilder MapContactsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/notification/patients/{patientId:guid}/contact").RequireAuthorization().WithTags("Contacts");
        api.MapPut("/", SaveContact).WithName("SaveContact").WithSummary("Sets the email address a patient's reminders and outreach go to");
        api.MapGet("/", GetContact).WithName("GetContact").WithSummary("The email address on file for a patient");
        return api;
    }

    static async Task<Results<Ok<Contact>, ValidationProblem>> SaveContact(
        Guid patientId, SaveContactRequest request, ClinicContext clinic, Contacts contacts, CancellationToken ct)
    {
        var email = request.Email?.Trim() ?? "";
        var errors = new ValidationErrors()
            .Require(patientId != Guid.Empty, "patientId", "A patient id is required.");
        if (email.Length == 0) errors.Add("email", "An email address is required.");
        else if (!IsPlainAddress(email)) errors.Add("email", "Not a valid email address.");
        if (errors.Any) return TypedResults.ValidationProblem(errors.ToDictionary());

        return TypedResults.Ok(await contacts.Save(clinic, patientId, email, ct));
    }

    static async Task<Results<Ok<Contact>, NotFound>> GetContact(Guid patientId, ClinicContext clinic, Contacts contacts, CancellationToken ct) =>
        await contacts.Find(clinic, patientId, ct) is { } contact ? TypedResults.Ok(contact) : TypedResults.NotFound();

    /// <summary>A bare address ("someone@example.org"), not a display-name form, that both parsers accept.</summary>
    static bool IsPlainAddress(string email) =>
        email.Length <= MaxEmailLength
        && MailAddress.TryCreate(email, out var parsed)
        && parsed.Address == email
        && MimeKit.MailboxAddress.TryParse(email, out _);
}
