using Microsoft.AspNetCore.Hosting;
using VirtualIop.BuildingBlocks.Auth;
using VirtualIop.TestSupport;

namespace VirtualIop.Notification.IntegrationTests;

/// <summary>Outside Development the service refuses laptop settings (plain SMTP, localhost and placeholder links), naming every one at once.</summary>
[Collection(NotificationCollection.Name)]
public sealed class ProductionSettingsTests(PostgresServer postgres, RabbitMqBroker rabbitMq)
{
    /// <summary>The real service started as Production with the settings given, and a real issuer so that only these settings are at fault.</summary>
    sealed class ProductionNotification(PostgresServer postgres, RabbitMqBroker rabbitMq, IReadOnlyDictionary<string, string> settings)
        : ServiceUnderTest<Program>(postgres, rabbitMq, "notification", PartnerScopes.Notification)
    {
        protected override void Configure(IWebHostBuilder host)
        {
            host.UseEnvironment("Production");
            host.UseSetting("Auth:Authority", "https://login.clinic-identity.org");
            foreach (var (key, value) in settings) host.UseSetting(key, value);
        }

        protected override void RecordEvents(ProbeSubscriptions probe)
        {
        }
    }

    [Fact]
    public async Task Production_refuses_to_start_with_plain_SMTP_and_localhost_or_placeholder_links_and_names_every_setting()
    {
        var service = new ProductionNotification(postgres, rabbitMq, new Dictionary<string, string>
        {
            ["Smtp:Host"] = "smtp.clinic-mail.org",
            ["Smtp:Port"] = "25",
            ["Smtp:UseTls"] = "false",
            ["Notification:PatientPortalUrl"] = "http://localhost:5173",
            ["Notification:ClinicianPortalUrl"] = "https://portal.example.com/clinician",
            ["Notification:HelpDesk:WebhookUrl"] = "https://127.0.0.1:8443/tickets",
            ["Notification:HelpDesk:SigningSecret"] = "help-desk-secret-0123456789abcdef",
            ["Push:WebhookUrl"] = "https://push.clinic.test/notify",
            ["Push:SigningSecret"] = "push-secret-0123456789abcdef"
        });

        var refused = await Record.ExceptionAsync(service.InitializeAsync);
        await service.DisposeAsync();

        Assert.NotNull(refused);
        var error = refused.ToString();
        foreach (var setting in new[]
                 {
                     "Smtp:UseTls", "Smtp:FromAddress", "Notification:PatientPortalUrl", "Notification:ClinicianPortalUrl", "Notification:HelpDesk:WebhookUrl",
                     "Push:WebhookUrl"
                 })
            Assert.Contains(setting, error);
        Assert.DoesNotContain("Sms:BaseUrl", error);
    }
}
