using System.Net.Http.Json;
using System.Text.Json;
using VirtualIop.BuildingBlocks.Auth;
using VirtualIop.TestSupport;

namespace VirtualIop.ProductionTests;

/// <summary>
/// The gateway and the four services as an operator runs them: published with <c>dotnet publish</c>, started from the
/// published folders as plain processes in Production, configured only through environment variables, against the shared
/// PostgreSQL (a database per service) and RabbitMQ (a virtual host), a private smtp4dev that speaks STARTTLS, and an OIDC
/// issuer on https that this fixture hosts. TLS is trusted the production way: a private certificate authority handed to
/// the processes through <c>SSL_CERT_FILE</c>. <see cref="EnvironmentFor"/> is the minimal production configuration.
/// </summary>
public sealed class PublishedStack : IAsyncLifetime
{
    public const string Gateway = "gateway";
    public static readonly IReadOnlyList<string> Services = ["scheduling", "attendance", "notification", "engagement"];
    public const string Audience = "virtualiop-api";

    /// <summary>How long before a session its reminder is due, and how long after its end a pending patient becomes a no-show.</summary>
    public static readonly TimeSpan ReminderOffset = TimeSpan.FromSeconds(5);
    public static readonly TimeSpan NoShowGrace = TimeSpan.FromSeconds(3);

    /// <summary>
    /// A development key left in every process's environment, as a careless deployment might: Production must ignore it.
    /// Not part of the production configuration.
    /// </summary>
    public static readonly string LeftoverDevelopmentKey = "leftover-development-key-" + Guid.NewGuid().ToString("N");

    static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(2);

    readonly PostgresServer postgres = new();
    readonly RabbitMqBroker rabbitMq = new();
    readonly Dictionary<string, string> databases = new();
    readonly Dictionary<string, (OsProcess Process, Uri Address)> running = new();
    Uri? virtualHost;
    OsProcess? mailSinkProcess;
    int smtpPort;

    public string Directory { get; } = Path.Combine(Path.GetTempPath(), "virtualiop-production-" + Guid.NewGuid().ToString("N")[..8]);

    public TestCertificateAuthority Certificates { get; } = TestCertificateAuthority.Create(OsProcess.FreePort());

    public OidcIssuer Issuer { get; private set; } = null!;

    /// <summary>The clinic the issuer's registered client acts for.</summary>
    public IssuerClient Client { get; } = new("production-test-client", Guid.NewGuid().ToString("N"), Guid.NewGuid(), PartnerScopes.All);

    public SmtpSink MailSink { get; private set; } = null!;

    /// <summary>The OTLP collector every process exports its telemetry to.</summary>
    public OtlpReceiver Telemetry { get; private set; } = null!;

    public HttpClient Http { get; private set; } = null!;

    string AuthorityPem => Path.Combine(Directory, "ca.pem");

    public string PublishedFolder(string project) => Path.Combine(Directory, "publish", project);

    public Uri Address(string project) => running[project].Address;

    public async Task InitializeAsync()
    {
        System.IO.Directory.CreateDirectory(Directory);
        Http = new HttpClient(Certificates.TrustingHandler()) { Timeout = TimeSpan.FromSeconds(30) };
        Certificates.WriteAuthorityPem(AuthorityPem);
        await Certificates.ServeRevocationList();
        var publishing = Publish();
        Issuer = await OidcIssuer.Start(Certificates.Server, OsProcess.FreePort(), [Client], Audience);
        Telemetry = await OtlpReceiver.Start(OsProcess.FreePort());
        await Task.WhenAll(postgres.InitializeAsync(), rabbitMq.InitializeAsync(), StartMailSink());
        virtualHost = await rabbitMq.NewVirtualHostAsync("production");
        foreach (var service in Services) databases[service] = postgres.NewDatabaseConnectionString(service + "db");
        await publishing;

        await Task.WhenAll(Services.Select(Start));
        await Start(Gateway);
    }

    /// <summary>
    /// The environment of one published process: everything it is configured with, and the minimal production
    /// configuration docs/configuration.md lists (the shortened timings only make the flow fit a test).
    /// </summary>
    public IReadOnlyDictionary<string, string> EnvironmentFor(string project, int port)
    {
        var environment = new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}",
            ["Auth__Authority"] = Issuer.Issuer,
            // The private authority stands in for the public roots of a real deployment.
            ["SSL_CERT_FILE"] = AuthorityPem,
            ["Auth__SigningKey"] = LeftoverDevelopmentKey,
            ["DOTNET_gcServer"] = "0",
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = Telemetry.Endpoint.ToString().TrimEnd('/'),
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
            // Shortened for the test only: spans leave each second rather than every five.
            ["OTEL_BSP_SCHEDULE_DELAY"] = "1000",
            // Metrics leave each second rather than every minute, for the same reason.
            ["OTEL_METRIC_EXPORT_INTERVAL"] = "1000",
        };
        if (project == Gateway)
        {
            foreach (var service in Services) environment[$"services__{service}__http__0"] = Address(service).ToString().TrimEnd('/');
            return environment;
        }
        environment[$"ConnectionStrings__{project}db"] = databases[project];
        environment["ConnectionStrings__rabbitmq"] = virtualHost!.ToString();
        environment["Messaging__OutboxPollInterval"] = "00:00:00.200";
        switch (project)
        {
            case "scheduling":
                environment["Scheduling__MinimumSessionMinutes"] = "1";
                environment["Scheduling__CalendarFeeds__PublicBaseUrl"] = "https://api.clinic-group.org";
                environment["Scheduling__CalendarFeeds__JoinUrlTemplate"] = "https://meet.clinic-group.org/s/{sessionId}";
                break;
            case "attendance":
                environment["Attendance__NoShowGrace"] = NoShowGrace.ToString("c");
                environment["Attendance__SweepInterval"] = "00:00:01";
                break;
            case "notification":
                environment["Smtp__Host"] = "localhost";
                environment["Smtp__Port"] = smtpPort.ToString();
                environment["Smtp__UseTls"] = "true";
                environment["Smtp__FromAddress"] = "care@clinic-group.org";
                // Links rendered into messages only: nothing fetches them.
                environment["Notification__PatientPortalUrl"] = "https://care.clinic-group.org";
                environment["Notification__ClinicianPortalUrl"] = "https://care.clinic-group.org/clinician";
                environment["Notification__ReminderOffsets__0"] = ReminderOffset.ToString("c");
                environment["Notification__DispatchInterval"] = "00:00:01";
                break;
        }
        return environment;
    }

    async Task Publish()
    {
        foreach (var project in Services.Prepend(Gateway))
        {
            var name = ProjectName(project);
            var publish = OsProcess.Start("dotnet",
                ["publish", Path.Combine(SourceTree.Root, "src", name, name + ".csproj"), "-c", SourceTree.Configuration, "--no-build", "-o", PublishedFolder(project)],
                SourceTree.Root, new Dictionary<string, string> { ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1", ["DOTNET_NOLOGO"] = "1" },
                Path.Combine(Directory, $"publish-{project}.log"));
            if (await publish.WaitForExit() != 0)
                throw new InvalidOperationException($"dotnet publish of {name} failed (build the solution first):{Environment.NewLine}{publish.LogTail()}");
        }
    }

    async Task Start(string project)
    {
        var port = OsProcess.FreePort();
        var address = new Uri($"http://127.0.0.1:{port}/");
        var folder = PublishedFolder(project);
        var process = OsProcess.Start("dotnet", [Path.Combine(folder, ProjectName(project) + ".dll")], folder,
            EnvironmentFor(project, port), Path.Combine(Directory, $"{project}.log"));
        lock (running) running[project] = (process, address);
        await process.WaitUntil(async () =>
        {
            try
            {
                using var response = await Http.GetAsync(new Uri(address, "health"));
                return response.IsSuccessStatusCode;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                return false;
            }
        }, project, StartTimeout);
    }

    async Task StartMailSink()
    {
        smtpPort = OsProcess.FreePort();
        var httpPort = OsProcess.FreePort();
        var certificate = Path.Combine(Directory, "smtp.pfx");
        var password = Guid.NewGuid().ToString("N");
        Certificates.WriteServerPkcs12(certificate, password);
        mailSinkProcess = OsProcess.Start("bash", [Path.Combine(SourceTree.Root, "VirtualIop.AppHost", "infra", "smtp4dev.sh")], SourceTree.Root,
            new Dictionary<string, string>
            {
                ["SMTP4DEV_HTTP_PORT"] = httpPort.ToString(),
                ["SMTP4DEV_SMTP_PORT"] = smtpPort.ToString(),
                ["SMTP4DEV_TLS_CERTIFICATE"] = certificate,
                ["SMTP4DEV_TLS_CERTIFICATE_PASSWORD"] = password,
            },
            Path.Combine(Directory, "smtp4dev.log"));
        MailSink = SmtpSink.Connect(new Uri($"http://127.0.0.1:{httpPort}"));
        await mailSinkProcess.WaitUntil(async () =>
        {
            try
            {
                using var response = await Http.GetAsync($"http://127.0.0.1:{httpPort}/api/messages?pageSize=1");
                return response.IsSuccessStatusCode;
            }
            catch (HttpRequestException)
            {
                return false;
            }
        }, "smtp4dev", StartTimeout);
    }

    /// <summary>A client-credentials token from the issuer's token endpoint, as a partner obtains it.</summary>
    public async Task<string> RequestToken()
    {
        using var response = await Http.PostAsync(Issuer.TokenEndpoint, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = Client.ClientId,
            ["client_secret"] = Client.ClientSecret,
        }));
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("access_token").GetString()!;
    }

    /// <summary>The processes that exited on their own, with the end of their logs.</summary>
    public string Crashed() => string.Join(Environment.NewLine, running.Where(r => r.Value.Process.HasExited)
        .Select(r => $"{r.Key} exited:{Environment.NewLine}{r.Value.Process.LogTail()}"));

    static string ProjectName(string project) => "VirtualIop." + char.ToUpperInvariant(project[0]) + project[1..];

    public async Task DisposeAsync()
    {
        await Task.WhenAll(running.Values.Select(r => r.Process.Kill()));
        if (mailSinkProcess is not null) await mailSinkProcess.Kill();
        if (Issuer is not null) await Issuer.DisposeAsync();
        if (Telemetry is not null) await Telemetry.DisposeAsync();
        foreach (var database in databases.Values) await postgres.DropDatabaseAsync(database);
        if (virtualHost is not null) await rabbitMq.DeleteVirtualHostAsync(virtualHost);
        await postgres.DisposeAsync();
        await rabbitMq.DisposeAsync();
        if (MailSink is not null) await MailSink.DisposeAsync();
        Http?.Dispose();
        await Certificates.DisposeAsync();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A process may still be releasing a file; the temp folder is cleaned by the OS.
        }
    }
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProductionCollection : ICollectionFixture<PublishedStack>
{
    public const string Name = "production";
}
