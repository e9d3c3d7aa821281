using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Xunit;

namespace VirtualIop.TestSupport;

/// <summary>
/// The whole AppHost, started once per test assembly with Aspire.Hosting.Testing: local PostgreSQL, RabbitMQ and
/// smtp4dev as executables (containers where Docker works), the four services, the gateway and the web front end.
/// Timings are shrunk to seconds through the AppHost's Services:{resource}:* passthrough. A test project derives
/// one concrete fixture from it, naming its own generated <c>Projects.VirtualIop_AppHost</c>.
/// </summary>
public abstract class AppHostStack<TAppHost> : IAsyncLifetime where TAppHost : class
{
    static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(4);

    readonly string dataDirectory = Path.Combine(Path.GetTempPath(), "virtualiop-e2e-" + Guid.NewGuid().ToString("N")[..8]);
    DistributedApplication? app;

    public static readonly TimeSpan ReminderOffset = TimeSpan.FromSeconds(15);

    public DistributedApplication App => app ?? throw new InvalidOperationException("The stack is not started.");

    public SmtpSink MailSink { get; private set; } = null!;

    /// <summary>The resources that must be healthy before a test runs.</summary>
    protected virtual IReadOnlyList<string> ReadyResources => ["gateway"];

    /// <summary>More AppHost arguments a tier adds to the shared ones (for example a Services:{resource}:* setting).</summary>
    protected virtual IEnumerable<string> Arguments => [];

    public async Task InitializeAsync()
    {
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<TAppHost>(
        [
            $"--LocalInfra:DataDirectory={dataDirectory}",
            "--DcpPublisher:ContainerRuntimeInitializationTimeout=00:00:05",
            $"--Services:notification:Notification:ReminderOffsets:0={ReminderOffset}",
            "--Services:notification:Notification:DispatchInterval=00:00:01",
            "--Services:attendance:Attendance:NoShowGrace=00:00:03",
            "--Services:attendance:Attendance:SweepInterval=00:00:01",
            "--Services:scheduling:Messaging:OutboxPollInterval=00:00:00.200",
            "--Services:attendance:Messaging:OutboxPollInterval=00:00:00.200",
            "--Services:notification:Messaging:OutboxPollInterval=00:00:00.200",
            "--Services:engagement:Messaging:OutboxPollInterval=00:00:00.200",
            "--Services:scheduling:Scheduling:MinimumSessionMinutes=1",
            .. Arguments
        ]);
        app = await builder.BuildAsync();
        using var timeout = new CancellationTokenSource(StartTimeout);
        await app.StartAsync(timeout.Token);
        foreach (var resource in ReadyResources)
        {
            await app.ResourceNotifications.WaitForResourceHealthyAsync(resource, timeout.Token);
        }

        MailSink = SmtpSink.Connect(app.GetEndpoint("mailsink", "http"));
    }

    /// <summary>The gateway's address, as a browser or a partner reaches it.</summary>
    public Uri GatewayAddress => App.GetEndpoint("gateway", "http");

    public HttpClient Gateway() => App.CreateHttpClient("gateway", "http");

    public HttpClient Service(string name) => App.CreateHttpClient(name, "http");

    public virtual async Task DisposeAsync()
    {
        if (app is not null)
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
        try
        {
            Directory.Delete(dataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A server may still be releasing a file; the temp folder is cleaned by the OS.
        }
    }
}
