using System.Net.Http.Headers;
using VirtualIop.BuildingBlocks.Auth;
using VirtualIop.TestSupport;

namespace VirtualIop.FaultTests.Harness;

/// <summary>
/// The real stack in separate OS processes, for one test collection: private PostgreSQL servers (one database per service),
/// a private RabbitMQ node, a private smtp4dev, and the four services run from their build output
/// (<c>dotnet src/VirtualIop.X/bin/{Configuration}/net10.0/VirtualIop.X.dll</c>), 1 or 3 replicas each, configured
/// as the AppHost configures them with the end-to-end tests' shrunk timings. Every server and replica can be killed
/// with kill -9 and started again on the same port.
/// </summary>
public sealed class FaultStack : IAsyncLifetime
{
    public const string Scheduling = "scheduling";
    public const string Attendance = "attendance";
    public const string Notification = "notification";
    public const string Engagement = "engagement";
    public static readonly IReadOnlyList<string> Services = [Scheduling, Attendance, Notification, Engagement];

    /// <summary>How long before a session its reminder is due: the flows create sessions a little earlier than that.</summary>
    public static readonly TimeSpan ReminderOffset = TimeSpan.FromSeconds(5);

    /// <summary>How long after a session ends a patient still pending becomes a no-show.</summary>
    public static readonly TimeSpan NoShowGrace = TimeSpan.FromSeconds(3);

    static readonly TimeSpan ServiceStartTimeout = TimeSpan.FromMinutes(2);

    readonly string signingKey = Guid.NewGuid().ToString("N") + Guid.NewGuid().ToString("N");
    readonly Dictionary<string, List<Replica>> replicas = Services.ToDictionary(s => s, _ => new List<Replica>());
    readonly HttpClient http = new() { Timeout = TimeSpan.FromSeconds(30) };
    int smtpPort;
    OsProcess? mailSinkProcess;
    int nextReplica;

    public string RepoRoot => SourceTree.Root;

    public string Directory { get; } = Path.Combine(Path.GetTempPath(), "virtualiop-fault-" + Guid.NewGuid().ToString("N")[..8]);

    /// <summary>The server of Scheduling's, Notification's and Engagement's databases: the services that consume misses.</summary>
    public PrivatePostgres Postgres { get; private set; } = null!;

    /// <summary>
    /// Attendance's own server, so that one case can stop the consumers' databases while the sweep goes on deciding
    /// no-shows and publishing them: a flow of events into an outage.
    /// </summary>
    public PrivatePostgres AttendancePostgres { get; private set; } = null!;

    public PrivateRabbitMq RabbitMq { get; private set; } = null!;

    public SmtpSink MailSink { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        System.IO.Directory.CreateDirectory(Directory);
        // The postgres OS user must reach its data directory below this one.
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(Directory, (UnixFileMode)0b111_101_101);
        if (!System.IO.Directory.Exists("/usr/lib/postgresql") || !System.IO.Directory.EnumerateDirectories("/usr/lib/postgresql").Any() || !File.Exists("/usr/lib/rabbitmq/bin/rabbitmq-server"))
            throw new InvalidOperationException(
                "The fault suite runs its own PostgreSQL and RabbitMQ from the local binaries: install postgresql and rabbitmq-server " +
                "(scripts/test.sh does, when it starts local servers).");
        foreach (var service in Services)
        {
            var dll = ServiceDll(service);
            if (!File.Exists(dll))
                throw new InvalidOperationException($"{dll} is missing: build the solution (or this test project, which builds the services) first.");
        }

        Postgres = new PrivatePostgres(RepoRoot, Directory, "postgres");
        AttendancePostgres = new PrivatePostgres(RepoRoot, Directory, "postgres-attendance");
        RabbitMq = new PrivateRabbitMq(RepoRoot, Directory);
        await Task.WhenAll(Postgres.Start(), AttendancePostgres.Start(), RabbitMq.Start(), StartMailSink());
        await UseReplicas(1);
    }

    /// <summary>The server that holds a service's database.</summary>
    public PrivatePostgres DatabaseServer(string service) => service == Attendance ? AttendancePostgres : Postgres;

    /// <summary>Runs a scalar query against a service's database (the suite reads effects straight from the owners' tables).</summary>
    public Task<T> Scalar<T>(string service, string sql, Guid? clinic = null) => DatabaseServer(service).Scalar<T>(service, sql, clinic);

    /// <summary>Counts rows of a service's database per (uuid, uuid) key; <paramref name="sql"/> selects key1, key2, count.</summary>
    public Task<Dictionary<(Guid, Guid), long>> CountsByPair(string service, string sql, Guid clinic) =>
        DatabaseServer(service).CountsByPair(service, sql, clinic);

    /// <summary>Runs every service with <paramref name="count"/> replicas: starts the missing ones, kill -9s the extra ones.</summary>
    public async Task UseReplicas(int count)
    {
        var starting = new List<Task>();
        foreach (var service in Services)
        {
            var list = replicas[service];
            while (list.Count > count)
            {
                await list[^1].Kill();
                list.RemoveAt(list.Count - 1);
            }
            while (list.Count < count)
            {
                var replica = new Replica(service, list.Count, OsProcess.FreePort(), this);
                list.Add(replica);
                starting.Add(replica.Start());
            }
            starting.AddRange(list.Where(r => !r.IsRunning).Select(r => r.Start()));
        }
        await Task.WhenAll(starting);
    }

    /// <summary>kill -9 of every replica of the given services.</summary>
    public Task Kill(params string[] services) => Task.WhenAll(services.SelectMany(s => replicas[s]).Select(r => r.Kill()));

    /// <summary>Starts every replica of the given services again (same ports) and waits until each answers /health.</summary>
    public Task Restart(params string[] services) => Task.WhenAll(services.SelectMany(s => replicas[s]).Where(r => !r.IsRunning).Select(r => r.Start()));

    /// <summary>Replicas that exited without being killed by the suite, with the end of their logs.</summary>
    public IReadOnlyList<string> CrashedReplicas() => replicas.Values.SelectMany(list => list)
        .Where(r => r.Crashed).Select(r => $"{r.Name} exited on its own:{Environment.NewLine}{r.LogTail()}").ToList();

    /// <summary>A client for one clinic that spreads its calls over a service's replicas.</summary>
    public ClinicApi ApiFor(Guid clinic)
    {
        var token = new PartnerTokenIssuer(new PartnerAuthOptions { SigningKey = signingKey }, TimeProvider.System)
            .Issue(clinic, "fault-suite", PartnerScopes.All, TimeSpan.FromHours(2));
        return new ClinicApi(http, new AuthenticationHeaderValue("Bearer", token), BaseAddress);
    }

    Uri BaseAddress(string service)
    {
        var running = replicas[service].Where(r => r.IsRunning).ToList();
        if (running.Count == 0) throw new InvalidOperationException($"No replica of {service} is running.");
        return running[Interlocked.Increment(ref nextReplica) % running.Count].BaseAddress;
    }

    string ServiceDll(string service)
    {
        var project = "VirtualIop." + char.ToUpperInvariant(service[0]) + service[1..];
        return Path.Combine(RepoRoot, "src", project, "bin", Configuration, "net10.0", project + ".dll");
    }

    static string Configuration => SourceTree.Configuration;

    IReadOnlyDictionary<string, string> EnvironmentFor(string service, int port)
    {
        var environment = new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
            ["DOTNET_ENVIRONMENT"] = "Development",
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}",
            // Twelve processes on two cores: one GC heap each.
            ["DOTNET_gcServer"] = "0",
            [$"ConnectionStrings__{service}db"] = DatabaseServer(service).ConnectionString(service),
            ["ConnectionStrings__rabbitmq"] = RabbitMq.AmqpUri,
            ["Auth__SigningKey"] = signingKey,
            ["Logging__LogLevel__Default"] = "Warning",
            ["Messaging__OutboxPollInterval"] = "00:00:00.200",
            // A consumer's failure while a database is down is redriven from _error on a short schedule, for long enough.
            ["Messaging__RedriveInterval"] = "00:00:05",
            ["Messaging__RedriveMaxDelay"] = "00:00:10",
            ["Messaging__RedriveLimit"] = "60",
        };
        switch (service)
        {
            case Scheduling:
                environment["Scheduling__MinimumSessionMinutes"] = "1";
                break;
            case Attendance:
                environment["Attendance__NoShowGrace"] = NoShowGrace.ToString("c");
                environment["Attendance__SweepInterval"] = "00:00:01";
                break;
            case Notification:
                environment["Notification__ReminderOffsets__0"] = ReminderOffset.ToString("c");
                environment["Notification__DispatchInterval"] = "00:00:01";
                // A replica killed mid-pass leaves its claimed rows to the others after this long.
                environment["Notification__DispatchLease"] = "00:01:00";
                environment["Notification__SendTimeout"] = "00:00:20";
                environment["Smtp__Host"] = "127.0.0.1";
                environment["Smtp__Port"] = smtpPort.ToString();
                break;
        }
        return environment;
    }

    async Task StartMailSink()
    {
        smtpPort = OsProcess.FreePort();
        var httpPort = OsProcess.FreePort();
        mailSinkProcess = OsProcess.Start("bash", [Path.Combine(RepoRoot, "VirtualIop.AppHost", "infra", "smtp4dev.sh")], RepoRoot,
            new Dictionary<string, string> { ["SMTP4DEV_HTTP_PORT"] = httpPort.ToString(), ["SMTP4DEV_SMTP_PORT"] = smtpPort.ToString() },
            Path.Combine(Directory, "smtp4dev.log"));
        MailSink = SmtpSink.Connect(new Uri($"http://127.0.0.1:{httpPort}"));
        await mailSinkProcess.WaitUntil(async () =>
        {
            try
            {
                using var response = await http.GetAsync($"http://127.0.0.1:{httpPort}/api/messages?pageSize=1");
                return response.IsSuccessStatusCode;
            }
            catch (HttpRequestException)
            {
                return false;
            }
        }, "smtp4dev", TimeSpan.FromMinutes(2));
    }

    public async Task DisposeAsync()
    {
        await Task.WhenAll(replicas.Values.SelectMany(list => list).Select(r => r.Kill()));
        if (mailSinkProcess is not null) await mailSinkProcess.Kill();
        if (RabbitMq is not null) await RabbitMq.Dispose();
        if (Postgres is not null) await Postgres.Dispose();
        if (AttendancePostgres is not null) await AttendancePostgres.Dispose();
        await MailSink.DisposeAsync();
        http.Dispose();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A server may still be releasing a file; the temp folder is cleaned by the OS.
        }
    }

    /// <summary>One replica of one service: a fixed port, and the process while it runs.</summary>
    sealed class Replica(string service, int index, int port, FaultStack stack)
    {
        OsProcess? process;
        bool killed;

        public string Name => $"{service}#{index}";

        public Uri BaseAddress { get; } = new($"http://127.0.0.1:{port}/");

        public bool IsRunning => process is { HasExited: false };

        public bool Crashed => process is { HasExited: true } && !killed;

        public string LogTail() => process?.LogTail() ?? "";

        public async Task Start()
        {
            killed = false;
            var dll = stack.ServiceDll(service);
            process = OsProcess.Start("dotnet", [dll], Path.GetDirectoryName(dll)!, stack.EnvironmentFor(service, port),
                Path.Combine(stack.Directory, $"{service}-{index}.log"));
            await process.WaitUntil(async () =>
            {
                try
                {
                    using var response = await stack.http.GetAsync(new Uri(BaseAddress, "health"));
                    return response.IsSuccessStatusCode;
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                {
                    return false;
                }
            }, Name, ServiceStartTimeout);
        }

        public async Task Kill()
        {
            killed = true;
            if (process is not null) await process.Kill();
        }
    }
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class FaultCollection : ICollectionFixture<FaultStack>
{
    public const string Name = "fault";
}
