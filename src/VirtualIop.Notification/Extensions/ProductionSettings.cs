using System.Net;
using Microsoft.Extensions.Options;
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
        if (smtp.FromAddress.Split('@') is [_, var domain] && IsPlaceholder(domain))
            yield return $"Smtp:FromAddress ({smtp.FromAddress}) is a placeholder address; set the clinic's real sender.";
        foreach (var failure in Link("Notification:PatientPortalUrl", notification.PatientPortalUrl)) yield return failure;
        foreach (var failure in Link("Notification:ClinicianPortalUrl", notification.ClinicianPortalUrl)) yield return failure;
        foreach (var failure in Endpoint("Notification:HelpDesk:WebhookUrl", notification.HelpDesk.WebhookUrl)) yield return failure;
        foreach (var failure in Endpoint("Push:WebhookUrl", push.WebhookUrl)) yield return failure;
        foreach (var failure in Endpoint("Sms:BaseUrl", sms.BaseUrl)) yield return failure;
        foreach (var failure in Endpoint("Sms:PublicBaseUrl", sms.PublicBaseUrl)) yield return failure;
    }

    /// <summary>A link patients and clinicians follow: https, on a real host.</summary>
    static IEnumerable<string> Link(string setting, string? url)
    {
        foreach (var failure in Endpoint(setting, url)) yield return failure;
        if (Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme != Uri.UriSchemeHttps)
            yield return $"{setting} ({url}) must be an https URL outside Development: it is a link in messages to patients and clinicians.";
    }

    /// <summary>An address the service calls or hands out: unset is fine (the feature is off), localhost or a placeholder is not.</summary>
    static IEnumerable<string> Endpoint(string setting, string? url)
    {
        if (Uri.TryCreate(url, UriKind.Absolute, out var uri) && IsPlaceholder(uri.Host))
            yield return $"{setting} ({url}) points at localhost or a placeholder host; set the real address.";
    }

    /// <summary>Loopback, unspecified, or a name reserved for examples, tests and local networks (RFC 2606, RFC 6761, RFC 6762).</summary>
    public static bool IsPlaceholder(string host)
    {
        var name = host.Trim('[', ']').TrimEnd('.').ToLowerInvariant();
        if (IPAddress.TryParse(name, out var address)) return IPAddress.IsLoopback(address) || address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any);
        string[] reserved = ["localhost", "local", "test", "example", "invalid", "example.com", "example.org", "example.net"];
        return reserved.Any(r => name == r || name.EndsWith("." + r, StringComparison.Ordinal));
    }
}
