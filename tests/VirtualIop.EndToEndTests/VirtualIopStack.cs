using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using VirtualIop.TestSupport;

namespace VirtualIop.EndToEndTests;

/// <summary>
/// The whole AppHost, started once for the assembly with Aspire.Hosting.Testing: local PostgreSQL,
/// RabbitMQ and smtp4dev as executables (containers where Docker works), the four services and the gateway.
/// Timings are shrunk to seconds through the AppHost's Services:{resource}:* passthrough.
/// </summary>
public sealed class VirtualIopStack : IAsyncLifetime
{
    static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(4);

    readonly string dataDirectory = Path.Combine(Path.GetTempPath(), "virtualiop-e2e-" + Guid.NewGuid().ToString("N")[..8]);
    DistributedApplication? app;

    public static readonly TimeSpan ReminderOffset = TimeSpan.FromSeconds(15);

    public DistributedApplication App => app ?? throw new InvalidOperationException("The stack is not started.");

    public SmtpSink MailSink { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.VirtualIop_AppHost>(
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
            "--Services:scheduling:Scheduling:MinimumSessionMinutes=1"
        ]);
        app = await builder.BuildAsync();
        using var timeout = new CancellationTokenSource(StartTimeout);
        await app.StartAsync(timeout.Token);
        await app.ResourceNotifications.WaitForResourceHealthyAsync("gateway", timeout.Token);

        MailSink = SmtpSink.Connect(app.GetEndpoint("mailsink", "http"));
    }

    public HttpClient Gateway() => App.CreateHttpClient("gateway", "http");

    public HttpClient Service(string name) => App.CreateHttpClient(name, "http");

    public async Task DisposeAsync()
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

[CollectionDefinition(Name)]
public sealed class StackCollection : ICollectionFixture<VirtualIopStack>
{
    public const string Name = "stack";
}
