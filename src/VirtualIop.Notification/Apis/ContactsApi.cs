using System.Net.Mail;
using Microsoft.AspNetCore.Http.HttpResults;
using VirtualIop.BuildingBlocks.Audit;
using VirtualIop.BuildingBlocks.Auth;
using VirtualIop.BuildingBlocks.Http;
using VirtualIop.Notification.Data;
using VirtualIop.Notification.Domain;

namespace VirtualIop.Notification.Apis;

public sealed record QuietHoursRequest(string? Start, string? End);

/// <summary>
/// A patient's contact preferences. Only <c>email</c> is needed (the skeleton's shape); <c>channels</c> lists the
/// channels in the order they are tried and defaults to every channel with an address (email, sms, push). The
/// patient's own token may set all of it, their addresses included: they are the patient's, and each change is audited.
/// </summary>
public sealed record SaveContactRequest(
    string? Email, string? Phone = null, string? PushAddress = null, IReadOnlyList<Channel>? Channels = null,
    Language? Language = null, string? TimeZone = null, QuietHoursRequest? QuietHours = null);

public static class ContactsApi
{
    const int MaxEmailLength = 254;

    public static RouteGroupBuilder MapContactsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/notification/patients/{patientId:guid}/contact").RequireAuthorization().WithTags("Contacts");
        api.MapPut("/", SaveContact).WithName("SaveContact").AllowPatientSelf()
            .AuditsPatientData("notification.contact")
            .WithSummary("Sets a patient's addresses per channel, channel order, language, time zone and quiet hours");
        api.MapGet("/", GetContact).WithName("GetContact").AllowPatientSelf().WithSummary("A patient's contact preferences and opt-outs")
            .AuditsPatientData("notification.contact");
        api.MapPut("/opt-outs/{channel}", OptOut).WithName("OptOut").AllowPatientSelf().WithSummary("Stops all messages to the patient on one channel")
            .AuditsPatientData("notification.contact");
        api.MapDelete("/opt-outs/{channel}", OptIn).WithName("OptIn").AllowPatientSelf().WithSummary("Lets messages to the patient on one channel resume")
            .AuditsPatientData("notification.contact");
        return api;
    }

    static async Task<Results<Ok<Contact>, ValidationProblem>> SaveContact(
        Guid patientId, SaveContactRequest request, ClinicContext clinic, Contacts contacts, CancellationToken ct)
    {
        var errors = new ValidationErrors()
            .Require(patientId != Guid.Empty, "patientId", "A patient id is required.");
        var email = Blank(request.Email);
        var phone = Blank(request.Phone);
        var push = Blank(request.PushAddress);
        if (email is not null && !IsPlainAddress(email)) errors.Add("email", "Not a valid email address.");
        if (phone is not null && !ContactRules.IsE164(phone)) errors.Add("phone", "Not an E.164 phone number (for example +15551234567).");
        if (push is not null && !ContactRules.IsPushAddress(push)) errors.Add("pushAddress", "Not a valid push address.");
        if (email is null && phone is null && push is null) errors.Add("email", "An email address is required (or a phone or push address).");

        var addressed = new (Channel Channel, string? Address)[] { (Channel.Email, email), (Channel.Sms, phone), (Channel.Push, push) };
        var channels = request.Channels ?? addressed.Where(a => a.Address is not null).Select(a => a.Channel).ToList();
        if (channels.Count == 0 && request.Channels is not null) errors.Add("channels", "At least one channel is required.");
        if (channels.Distinct().Count() != channels.Count) errors.Add("channels", "A channel is listed twice.");
        foreach (var missing in channels.Where(c => addressed.Single(a => a.Channel == c).Address is null).Distinct())
            errors.Add("channels", $"The {Contacts.Name(missing)} channel has no address.");

        errors.RequireCount("channels", request.Channels, Enum.GetValues<Channel>().Length);

        var timeZone = Blank(request.TimeZone);
        if (timeZone is { Length: > InputBounds.MaxShortText }) errors.RequireLength("timeZone", timeZone, InputBounds.MaxShortText);
        else if (timeZone is not null && !TimeZoneInfo.TryFindSystemTimeZoneById(timeZone, out _))
            errors.Add("timeZone", "Not a known IANA time zone.");

        QuietHours? quiet = null;
        if (request.QuietHours is { } q)
        {
            var startOk = ContactRules.TryParseClockTime(q.Start, out var start);
            var endOk = ContactRules.TryParseClockTime(q.End, out var end);
            if (!startOk) errors.Add("quietHours.start", "A time of day as HH:mm is required.");
            if (!endOk) errors.Add("quietHours.end", "A time of day as HH:mm is required.");
            if (startOk && endOk && start == end) errors.Add("quietHours.end", "Quiet hours must not start and end at the same time.");
            if (startOk && endOk && start != end) quiet = new QuietHours(start, end);
            if (timeZone is null) errors.Add("timeZone", "Quiet hours need the patient's time zone.");
        }
        if (errors.Any) return TypedResults.ValidationProblem(errors.ToDictionary());

        var preferences = new ContactPreferences(email, phone, push, channels, request.Language ?? Language.En, timeZone, quiet);
        return TypedResults.Ok(await contacts.Save(clinic, patientId, preferences, ct));
    }

    static async Task<Results<Ok<Contact>, NotFound>> GetContact(Guid patientId, ClinicContext clinic, Contacts contacts, CancellationToken ct) =>
        await contacts.Find(clinic, patientId, ct) is { } contact ? TypedResults.Ok(contact) : TypedResults.NotFound();

    static Task<Results<Ok<Contact>, NotFound, ValidationProblem>> OptOut(
        Guid patientId, string channel, ClinicContext clinic, Contacts contacts, CancellationToken ct) =>
        SetOptOut(patientId, channel, optedOut: true, clinic, contacts, ct);

    static Task<Results<Ok<Contact>, NotFound, ValidationProblem>> OptIn(
        Guid patientId, string channel, ClinicContext clinic, Contacts contacts, CancellationToken ct) =>
        SetOptOut(patientId, channel, optedOut: false, clinic, contacts, ct);

    static async Task<Results<Ok<Contact>, NotFound, ValidationProblem>> SetOptOut(
        Guid patientId, string channel, bool optedOut, ClinicContext clinic, Contacts contacts, CancellationToken ct)
    {
        if (!Enum.TryParse<Channel>(channel, ignoreCase: true, out var parsed) || !Enum.IsDefined(parsed) || int.TryParse(channel, out _))
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["channel"] = ["One of email, sms, push."] });
        return await contacts.SetOptOut(clinic, patientId, parsed, optedOut, ct) is { } contact ? TypedResults.Ok(contact) : TypedResults.NotFound();
    }

    static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    /// <summary>A bare address ("someone@example.org"), not a display-name form, that both parsers accept.</summary>
    public static bool IsPlainAddress(string email) =>
        email.Length <= MaxEmailLength
        && MailAddress.TryCreate(email, out var parsed)
        && parsed.Address == email
        && MimeKit.MailboxAddress.TryParse(email, out _);
}
