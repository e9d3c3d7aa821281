using Microsoft.Extensions.Options;
using VirtualIop.BuildingBlocks.Http;
using VirtualIop.Notification.Channels.Email;
using VirtualIop.Notification.Channels.Push;
using VirtualIop.Notification.Channels.Sms;

namespace VirtualIop.Notification.Extensions;

/// <summary>
/// What Notification needs outside Development, checked at start-up: settings that are fine on a laptop and wrong
/// with patients. Mail goes over TLS; the links in messages are https and point at a real host; the providers and
/// webhooks it calls are not localhost or a placeholder. Every failing setting is named in one error.
/// </summary>
public sealed class ProductionSettings;

/// <summary>
/// Reads the settings as bound from configuration, not through their own options (whose validation would stop at
/// the first failure), so one start-up error lists them all.
/// </summary>
public sealed class ProductionSettingsValidator(IHostEnvironment environment, IConfiguration configuration) : IValidateOptions<ProductionSettings>
{
    public ValidateOptionsResult Validate(string? name, ProductionSettings options)
    {
        if (environment.IsDevelopment()) return ValidateOptionsResult.Skip;
        var failures = Failures(
            configuration.GetSection(NotificationOptions.SectionName).Get<NotificationOptions>() ?? new(),
            configuration.GetSection(SmtpOptions.SectionName).Get<SmtpOptions>() ?? new(),
            configuration.GetSection(SmsOptions.SectionName).Get<SmsOptions>() ?? new(),
            configuration.GetSection(PushOptions.SectionName).Get<PushOptions>() ?? new()).ToList();
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    public static IEnumerable<string> Failures(NotificationOptions notification, SmtpOptions smtp, SmsOptions sms, PushOptions push)
    {
        if (!smtp.UseTls)
            yield return $"Smtp:UseTls must be true outside Development: on port {smtp.Port} without it, mail to patients would cross the network in plain text.";
        if (smtp.FromAddress.Split('@') is [_, var domain] && OutgoingUrls.IsPlaceholder(domain))
            yield return $"Smtp:FromAddress ({smtp.FromAddress}) is a placeholder address; set the clinic's real sender.";
        foreach (var failure in OutgoingUrls.Link("Notification:PatientPortalUrl", notification.PatientPortalUrl)) yield return failure;
        foreach (var failure in OutgoingUrls.Link("Notification:ClinicianPortalUrl", notification.ClinicianPortalUrl)) yield return failure;
        foreach (var failure in OutgoingUrls.Endpoint("Notification:HelpDesk:WebhookUrl", notification.HelpDesk.WebhookUrl)) yield return failure;
        foreach (var failure in OutgoingUrls.Endpoint("Push:WebhookUrl", push.WebhookUrl)) yield return failure;
        foreach (var failure in OutgoingUrls.Endpoint("Sms:BaseUrl", sms.BaseUrl)) yield return failure;
        foreach (var failure in OutgoingUrls.Endpoint("Sms:PublicBaseUrl", sms.PublicBaseUrl)) yield return failure;
    }
}
