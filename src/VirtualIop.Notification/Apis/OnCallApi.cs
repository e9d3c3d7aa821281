using Microsoft.AspNetCore.Http.HttpResults;
using VirtualIop.BuildingBlocks.Auth;
using VirtualIop.BuildingBlocks.Http;
using VirtualIop.Notification.Data;
using VirtualIop.Notification.Domain;

namespace VirtualIop.Notification.Apis;

public sealed record SaveOnCallRequest(string? Email, string? Phone);

/// <summary>A program's on-call contact, alerted when a safety check is not acknowledged by its due time.</summary>
public static class OnCallApi
{
    public static RouteGroupBuilder MapOnCallApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/notification/programs/{programId:guid}/on-call").RequireAuthorization().WithTags("On-call contacts");
        api.MapPut("/", Save).WithName("SaveOnCallContact")
            .WithSummary("Sets who a program's unacknowledged safety checks escalate to (an email address, an E.164 phone number, or both)");
        api.MapGet("/", Get).WithName("GetOnCallContact").WithSummary("A program's on-call contact");
        return api;
    }

    /// <returns>404 (ProblemDetails), with nothing written, for a program Notification does not know for the clinic; see <see cref="UnknownResource"/>.</returns>
    static async Task<Results<Ok<OnCallContact>, ValidationProblem, ProblemHttpResult>> Save(
        Guid programId, SaveOnCallRequest request, ClinicContext clinic, OnCallContacts contacts, CancellationToken ct)
    {
        var email = string.IsNullOrWhiteSpace(request.Email) ? null : request.Email.Trim();
        var phone = string.IsNullOrWhiteSpace(request.Phone) ? null : request.Phone.Trim();
        var errors = new ValidationErrors()
            .Require(email is not null || phone is not null, "email", "An email address or a phone number is required.")
            .Require(email is null || ContactsApi.IsPlainAddress(email), "email", "Not a valid email address.")
            .Require(phone is null || ContactRules.IsE164(phone), "phone", "Not an E.164 phone number (for example +15551234567).");
        if (errors.Any) return TypedResults.ValidationProblem(errors.ToDictionary());
        return await contacts.Save(clinic, programId, email, phone, ct) is { } saved
            ? TypedResults.Ok(saved)
            : UnknownResource.Problem("program", "Notification");
    }

    static async Task<Results<Ok<OnCallContact>, NotFound>> Get(Guid programId, ClinicContext clinic, OnCallContacts contacts, CancellationToken ct) =>
        await contacts.Find(clinic, programId, ct) is { } contact ? TypedResults.Ok(contact) : TypedResults.NotFound();
}
