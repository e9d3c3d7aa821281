using Microsoft.AspNetCore.Hosting;
using VirtualIop.BuildingBlocks.Auth;
using VirtualIop.TestSupport;

namespace VirtualIop.OpenApiTests;

/// <summary>
/// Outside Development every service host refuses to start without the OAuth2 issuer, even with the development
/// signing key at hand, and names every missing setting in the one error. Here because this project hosts all four
/// services.
/// </summary>
[Trait("Category", "OpenApi")]
public sealed class ProductionStartupTests(PostgresServer postgres, RabbitMqBroker rabbitMq) : IClassFixture<PostgresServer>, IClassFixture<RabbitMqBroker>
{
    /// <summary>The real service host as Production, with nothing but its database, its broker and the development key.</summary>
    sealed class InProduction<TAssembly>(PostgresServer postgres, RabbitMqBroker rabbitMq, string name, string scope, params (string Key, string Value)[] settings)
        : ServiceUnderTest<TAssembly>(postgres, rabbitMq, name, scope) where TAssembly : class
    {
        protected override void Configure(IWebHostBuilder host)
        {
            host.UseEnvironment("Production");
            foreach (var (key, value) in settings) host.UseSetting(key, value);
        }

        protected override void RecordEvents(ProbeSubscriptions probe)
        {
        }
    }

    IAsyncLifetime Host(string service) => service switch
    {
        "scheduling" => new InProduction<Scheduling.Extensions.SchedulingOptions>(postgres, rabbitMq, service, PartnerScopes.Scheduling),
        "attendance" => new InProduction<Attendance.Extensions.AttendanceOptions>(postgres, rabbitMq, service, PartnerScopes.Attendance),
        // The mail sender reads its settings as it is built, before the start-up checks run: without a host it would be the only failure named.
        "notification" => new InProduction<Notification.Extensions.NotificationOptions>(postgres, rabbitMq, service, PartnerScopes.Notification,
            ("Smtp:Host", "smtp.clinic-mail.org")),
        "engagement" => new InProduction<Engagement.Data.Consents>(postgres, rabbitMq, service, PartnerScopes.Engagement),
        _ => throw new ArgumentOutOfRangeException(nameof(service), service, null),
    };

    [Theory]
    [InlineData("scheduling", new[] { "Auth:Authority", "Scheduling:CalendarFeeds:PublicBaseUrl", "Scheduling:CalendarFeeds:JoinUrlTemplate" })]
    [InlineData("attendance", new[] { "Auth:Authority" })]
    [InlineData("notification", new[] { "Auth:Authority", "Smtp:UseTls" })]
    [InlineData("engagement", new[] { "Auth:Authority" })]
    public async Task Outside_development_a_service_refuses_to_start_without_an_issuer_naming_every_missing_setting_at_once(string service, string[] missing)
    {
        var host = Host(service);

        var refused = await Record.ExceptionAsync(host.InitializeAsync);
        await host.DisposeAsync();

        Assert.NotNull(refused);
        var error = refused is AggregateException all ? string.Join(" | ", all.Flatten().InnerExceptions.Select(e => e.Message)) : refused.Message;
        Assert.All(missing, setting => Assert.Contains(setting, error));
    }
}
