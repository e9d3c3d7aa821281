using Microsoft.AspNetCore.Http.HttpResults;
using VirtualIop.BuildingBlocks.Auth;
using VirtualIop.BuildingBlocks.Http;
using VirtualIop.Notification.Data;
using VirtualIop.Notification.Domain;

namespace VirtualIop.Notification.Apis;

/// <summary>A clinic's wording: subject (email and push titles; none for SMS) and body with {{placeholders}}.</summary>
public sealed record SaveTemplateRequest(string? Subject, string? Body);

/// <summary>
/// Clinic template overrides, per kind of message, language and channel. Placeholders are checked: an unknown one, a
/// missing required one, or one that reveals care in a text message or push notification is refused naming the field.
/// </summary>
public static class TemplatesApi
{
    public static RouteGroupBuilder MapTemplatesApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/notification/templates/{kind}/{language}/{channel}").RequireAuthorization().WithTags("Templates");
        api.MapPut("/", SaveTemplate).WithName("SaveTemplate").RequireStaffRole(StaffRoles.Admin, StaffRoles.Coordinator).WithSummary("Sets the clinic's own wording for one kind of message, language and channel");
        api.MapGet("/", GetTemplate).WithName("GetTemplate").WithSummary("The wording in use: the clinic's own, or the built-in one");
        api.MapDelete("/", RemoveTemplate).WithName("RemoveTemplate").RequireStaffRole(StaffRoles.Admin, StaffRoles.Coordinator).WithSummary("Goes back to the built-in wording");
        return api;
    }

    static async Task<Results<Ok<MessageWording>, ValidationProblem>> SaveTemplate(
        string kind, string language, string channel, SaveTemplateRequest request, ClinicContext clinic, TemplateOverrides templates, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        if (!TryParseKey(kind, language, channel, errors, out var key)) return TypedResults.ValidationProblem(errors.ToDictionary());

        var subject = string.IsNullOrWhiteSpace(request.Subject) ? null : request.Subject;
        var body = request.Body ?? "";
        var maxBody = key.Channel == Channel.Email ? TemplatePlaceholders.MaxEmailBodyLength : TemplatePlaceholders.MaxShortBodyLength;
        errors.Require(!string.IsNullOrWhiteSpace(body), "body", "A body is required.")
              .Require(body.Length <= maxBody, "body", $"At most {maxBody} characters on this channel.")
              .Require(subject is null || key.Channel != Channel.Sms, "subject", "A text message has no subject.")
              .Require(subject is null || subject.Length <= TemplatePlaceholders.MaxSubjectLength, "subject",
                  $"At most {TemplatePlaceholders.MaxSubjectLength} characters.");
        if (!errors.Any)
            foreach (var (field, message) in TemplatePlaceholders.Validate(key.Kind, key.Channel, subject, body))
                errors.Add(field, message);
        if (errors.Any) return TypedResults.ValidationProblem(errors.ToDictionary());

        return TypedResults.Ok(await templates.Save(clinic, key.Kind, key.Language, key.Channel, new TemplateText(subject, body), ct));
    }

    static async Task<Results<Ok<MessageWording>, ValidationProblem>> GetTemplate(
        string kind, string language, string channel, ClinicContext clinic, TemplateOverrides templates, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        if (!TryParseKey(kind, language, channel, errors, out var key)) return TypedResults.ValidationProblem(errors.ToDictionary());
        return TypedResults.Ok(await templates.Find(clinic, key.Kind, key.Language, key.Channel, ct));
    }

    static async Task<Results<NoContent, NotFound, ValidationProblem>> RemoveTemplate(
        string kind, string language, string channel, ClinicContext clinic, TemplateOverrides templates, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        if (!TryParseKey(kind, language, channel, errors, out var key)) return TypedResults.ValidationProblem(errors.ToDictionary());
        return await templates.Remove(clinic, key.Kind, key.Language, key.Channel, ct) ? TypedResults.NoContent() : TypedResults.NotFound();
    }

    static bool TryParseKey(string kind, string language, string channel, ValidationErrors errors,
        out (DeliveryKind Kind, Language Language, Channel Channel) key)
    {
        var kindOk = TryParseName(kind, out DeliveryKind parsedKind) && TemplatePlaceholders.HasTemplate(parsedKind);
        var languageOk = TryParseName(language, out Language parsedLanguage);
        var channelOk = TryParseName(channel, out Channel parsedChannel);
        if (!kindOk) errors.Add("kind", $"One of {string.Join(", ", TemplatePlaceholders.Templated.Select(TemplateOverrides.Name))}.");
        if (!languageOk) errors.Add("language", "One of en, es.");
        if (!channelOk) errors.Add("channel", "One of email, sms, push.");
        key = (parsedKind, parsedLanguage, parsedChannel);
        return kindOk && languageOk && channelOk;
    }

    static bool TryParseName<T>(string text, out T value) where T : struct, Enum =>
        Enum.TryParse(text, ignoreCase: true, out value) && Enum.IsDefined(value) && !int.TryParse(text, out _);
}
