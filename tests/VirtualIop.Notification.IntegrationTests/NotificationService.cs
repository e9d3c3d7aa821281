using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Dapper;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using VirtualIop.BuildingBlocks.Auth;
using VirtualIop.Contracts.Notification;
using VirtualIop.Notification.Channels;
using VirtualIop.Notification.Channels.Email;
using VirtualIop.Notification.Channels.Push;
using VirtualIop.Notification.Channels.Sms;
using VirtualIop.Notification.Data;
using VirtualIop.Notification.Workers;
using VirtualIop.TestSupport;

namespace VirtualIop.Notification.IntegrationTests;

[CollectionDefinition(Name)]
public sealed class NotificationCollection : ICollectionFixture<PostgresServer>, ICollectionFixture<RabbitMqBroker>, ICollectionFixture<SmtpSink>
{
    public const string Name = "Notification with PostgreSQL, RabbitMQ and an SMTP sink";
}

/// <summary>
/// A shared service whose hosted dispatcher stays idle, for a class whose tests send by running the dispatcher
/// themselves, so what they queue is still pending until they do.
/// </summary>
public sealed class IdleDispatcherService(PostgresServer postgres, RabbitMqBroker rabbitMq, SmtpSink smtp) : IAsyncLifetime
{
    public NotificationService Service { get; } = new(postgres, rabbitMq, smtp) { DispatchInterval = TimeSpan.FromHours(1) };

    public Task InitializeAsync() => Service.InitializeAsync();

    public Task DisposeAsync() => Service.DisposeAsync();
}

/// <summary>
/// The real Notification service in memory, on its own database and virtual host, sending to the real SMTP
/// sink, with a probe bus standing in for the services around it.
/// <para>
/// A test class shares one (an xUnit class fixture) when its tests run with the same settings: each test makes its own
/// clinic, patients and sessions and reads back only those, so the tests stay independent. A test that needs settings of
/// its own, or that counts what a dispatcher pass claims across the whole database, starts a service of its own.
/// </para>
/// </summary>
public sealed class NotificationService(PostgresServer postgres, RabbitMqBroker rabbitMq, SmtpSink smtp)
    : ServiceUnderTest<Program>(postgres, rabbitMq, "notification", PartnerScopes.Notification)
{
    public static readonly TimeSpan FirstOffset = TimeSpan.FromMinutes(5);
    public static readonly TimeSpan SecondOffset = TimeSpan.FromMinutes(2);
    public static readonly TimeSpan Lease = TimeSpan.FromMinutes(1);
    public const string PortalUrl = "https://care.example.test";
    public const string SmsAuthToken = "sms-provider-test-auth-token";
    public const string PublicBaseUrl = "https://api.example.test";
    public const string SmsAccountSid = "AC0123456789";
    public const string SmsFromNumber = "+15550001111";
    public const string PushSecret = "push-webhook-test-secret";
    public const string HelpDeskSecret = "help-desk-test-secret";
    public const string HelpDeskContact = "+1 555 0100 (help desk, 8am-8pm)";
    public const string ClinicianPortalUrl = "https://clinicians.example.test";

    /// <summary>Where texts are posted (a <see cref="RecordingHttpServer"/>); unset: an address nothing listens on.</summary>
    public string SmsProviderUrl { get; set; } = "http://127.0.0.1:9";

    /// <summary>The clinic app backend's push webhook (a <see cref="RecordingHttpServer"/>); unset: an address nothing listens on.</summary>
    public string PushWebhookUrl { get; set; } = "http://127.0.0.1:9/push";

    /// <summary>The clinic's help-desk webhook (a <see cref="RecordingHttpServer"/>); unset: no tickets are opened.</summary>
    public string? HelpDeskWebhookUrl { get; set; }

    /// <summary>Where the service sends mail; the real sink unless a test points it elsewhere before start.</summary>
    public (string Host, int Port)? SmtpServer { get; set; }

    /// <summary>Deliveries one dispatcher pass claims; small values make concurrent passes interleave.</summary>
    public int DispatchBatchSize { get; set; } = 20;

    /// <summary>Sends one pass runs at once.</summary>
    public int DispatchParallelism { get; set; } = 4;

    /// <summary>How long the hosted dispatcher waits between passes; a long one leaves the sending to the test.</summary>
    public TimeSpan DispatchInterval { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>How long a dispatcher holds what it claimed (<see cref="Lease"/> unless a test shortens it).</summary>
    public TimeSpan DispatchLease { get; set; } = Lease;

    /// <summary>The time budget of one provider call; at most half the lease.</summary>
    public TimeSpan SendTimeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>Longest wait for any one SMTP operation.</summary>
    public TimeSpan SmtpTimeout { get; set; } = TimeSpan.FromSeconds(5);

    public DeliveryDispatcher Dispatcher => Services.GetRequiredService<DeliveryDispatcher>();

    /// <summary>This service's own meter factory: a MeterListener limited to it reads only this service's measurements.</summary>
    public System.Diagnostics.Metrics.IMeterFactory Meters => Services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>();

    /// <summary>Another dispatcher on the same database, as a second replica would run one.</summary>
    public DeliveryDispatcher NewDispatcher() => ActivatorUtilities.CreateInstance<DeliveryDispatcher>(Services);

    /// <summary>
    /// A dispatcher as another replica of the service runs one: same database and settings, but its own channel senders
    /// (its own SMTP connections, HTTP clients and circuit breakers).
    /// </summary>
    public DeliveryDispatcher NewReplica() => ActivatorUtilities.CreateInstance<DeliveryDispatcher>(Services, (IEnumerable<IChannelSender>)
    [
        ActivatorUtilities.CreateInstance<SmtpEmailSender>(Services),
        ActivatorUtilities.CreateInstance<HttpSmsSender>(Services),
        ActivatorUtilities.CreateInstance<WebhookPushSender>(Services)
    ]);

    public DeliveryQueue Queue => Services.GetRequiredService<DeliveryQueue>();

    /// <summary>The hosted worker that escalates unacknowledged safety checks; a test runs a pass at the time it chooses.</summary>
    public SafetyCheckEscalations SafetyEscalations => Services.GetRequiredService<SafetyCheckEscalations>();

    /// <summary>Another escalation worker on the same database, as a second replica would run one.</summary>
    public SafetyCheckEscalations NewSafetyEscalations() => ActivatorUtilities.CreateInstance<SafetyCheckEscalations>(Services);

    /// <summary>
    /// Settings a test class sets before start, applied last. Webhooks are off unless a test turns them on
    /// (Webhooks:Enabled): their consumer would otherwise also count in <see cref="ServiceUnderTest{TProgram}.Consumed"/>.
    /// </summary>
    public Dictionary<string, string> Settings { get; } = [];

    public WebhookLogRetention WebhookLogRetention => Services.GetRequiredService<WebhookLogRetention>();

    /// <summary>The service's personal links, for a test that needs one without sending a message.</summary>
    public PersonalLinks PersonalLinks => Services.GetRequiredService<PersonalLinks>();
    /// <summary>The hosted worker that forgets old inbound text ids; a test runs a pass at the time it chooses.</summary>
    public InboundSmsRetention InboundSmsRetention => Services.GetRequiredService<InboundSmsRetention>();

    /// <summary>The hosted worker that purges personal links past their retention; a test runs a pass at the time it chooses.</summary>
    public PatientLinkRetention PatientLinkRetention => Services.GetRequiredService<PatientLinkRetention>();


    protected override void Configure(IWebHostBuilder host)
    {
        var (smtpHost, smtpPort) = SmtpServer ?? (smtp.SmtpHost, smtp.SmtpPort);
        host.UseSetting("Smtp:Host", smtpHost);
        host.UseSetting("Smtp:Port", smtpPort.ToString());
        host.UseSetting("Smtp:Resilience:RetryAttempts", "2");
        host.UseSetting("Smtp:Resilience:RetryBaseDelay", "00:00:00.050");
        host.UseSetting("Smtp:Timeout", SmtpTimeout.ToString());
        host.UseSetting("Notification:ReminderOffsets:0", FirstOffset.ToString());
        host.UseSetting("Notification:ReminderOffsets:1", SecondOffset.ToString());
        host.UseSetting("Notification:DispatchInterval", DispatchInterval.ToString());
        host.UseSetting("Notification:DispatchParallelism", DispatchParallelism.ToString());
        host.UseSetting("Notification:DispatchLease", DispatchLease.ToString());
        host.UseSetting("Notification:SendTimeout", SendTimeout.ToString());
        host.UseSetting("Notification:DispatchBatchSize", DispatchBatchSize.ToString());
        host.UseSetting("Notification:PatientPortalUrl", PortalUrl);
        host.UseSetting("Notification:ClinicianPortalUrl", ClinicianPortalUrl);
        host.UseSetting("Notification:HelpDesk:Contact", HelpDeskContact);
        if (HelpDeskWebhookUrl is not null)
        {
            host.UseSetting("Notification:HelpDesk:WebhookUrl", HelpDeskWebhookUrl);
            host.UseSetting("Notification:HelpDesk:SigningSecret", HelpDeskSecret);
            host.UseSetting("Notification:HelpDesk:Resilience:RetryAttempts", "2");
            host.UseSetting("Notification:HelpDesk:Resilience:RetryBaseDelay", "00:00:00.050");
        }
        host.UseSetting("Sms:AuthToken", SmsAuthToken);
        host.UseSetting("Sms:PublicBaseUrl", PublicBaseUrl);
        host.UseSetting("Sms:BaseUrl", SmsProviderUrl);
        host.UseSetting("Sms:AccountSid", SmsAccountSid);
        host.UseSetting("Sms:FromNumber", SmsFromNumber);
        host.UseSetting("Sms:Timeout", "00:00:05");
        host.UseSetting("Sms:Resilience:RetryAttempts", "2");
        host.UseSetting("Sms:Resilience:RetryBaseDelay", "00:00:00.050");
        host.UseSetting("Push:WebhookUrl", PushWebhookUrl);
        host.UseSetting("Push:SigningSecret", PushSecret);
        host.UseSetting("Push:Timeout", "00:00:05");
        host.UseSetting("Push:Resilience:RetryAttempts", "2");
        host.UseSetting("Push:Resilience:RetryBaseDelay", "00:00:00.050");
        host.UseSetting("Webhooks:Enabled", "false");
        foreach (var (key, value) in Settings) host.UseSetting(key, value);
    }

    /// <summary>The client id the gateway redeems personal links with.</summary>
    public const string GatewayClientId = "virtualiop-gateway";

    /// <summary>
    /// The token of the personal link to <paramref name="page"/> on <paramref name="portal"/> in a message's text,
    /// asserting there is one: <c>{portal}/p/{token}?next={page}</c>.
    /// </summary>
    public static string PersonalLinkToken(string text, string page, string portal = PortalUrl)
    {
        var match = Regex.Match(text, Regex.Escape($"{portal}/p/") + "([A-Za-z0-9_-]{43})" + Regex.Escape($"?next={page}") + "(?![A-Za-z0-9/_-])");
        Assert.True(match.Success, $"No personal link to {page} on {portal} in: {text}");
        return match.Groups[1].Value;
    }

    /// <summary>A client holding the gateway's token for redeeming links: scope patient-links, some clinic of its own.</summary>
    public HttpClient GatewayClient() => ClientWithToken(issuer =>
        issuer.Issue(Guid.NewGuid(), GatewayClientId, [Extensions.PatientLinkRedemption.Scope], TimeSpan.FromMinutes(10)));

    /// <summary>Redeems a personal link's token as the gateway does.</summary>
    public async Task<HttpResponseMessage> Redeem(string token)
    {
        using var gateway = GatewayClient();
        return await gateway.PostAsJsonAsync(Apis.PatientLinksApi.RedemptionPath, new { token });
    }

    protected override void RecordEvents(ProbeSubscriptions probe) =>
        probe.Record<ReminderSent>().Record<DeliveryFailed>().Record<SessionDeclinedByReply>().Record<AbsenceReasonGivenByReply>();

    public async Task<string> RegisterContact(Guid clinicId, Guid patientId)
    {
        var email = $"patient-{patientId:N}@example.test";
        var response = await ClientFor(clinicId).PutAsJsonAsync($"/api/notification/patients/{patientId}/contact", new { email });
        response.EnsureSuccessStatusCode();
        return email;
    }

    /// <summary>Registers where a clinician's alerts go.</summary>
    public async Task<string> RegisterClinician(Guid clinicId, Guid clinicianId)
    {
        var email = $"clinician-{clinicianId:N}@example.test";
        (await ClientFor(clinicId).PutAsJsonAsync($"/api/notification/clinicians/{clinicianId}/contact", new { email })).EnsureSuccessStatusCode();
        return email;
    }

    public async Task<IReadOnlyList<DeliveryView>> PatientDeliveries(Guid clinicId, Guid patientId) =>
        (await ClientFor(clinicId).GetFromJsonAsync<List<DeliveryView>>($"/api/notification/deliveries?patientId={patientId}"))!;

    public Task<IReadOnlyList<DeliveryView>> WaitForPatientDeliveries(Guid clinicId, Guid patientId, Func<IReadOnlyList<DeliveryView>, bool> done,
        string what) =>
        Eventually.Until(() => PatientDeliveries(clinicId, patientId), done, what);

    /// <summary>Rows of one of the service's tables matching a condition (trusted test SQL).</summary>
    public async Task<int> CountWhere(string table, string condition, object parameters)
    {
        await using var db = new NpgsqlConnection(DatabaseConnectionString);
        return await db.ExecuteScalarAsync<int>($"select count(*)::int from {table} where {condition}", parameters);
    }

    /// <summary>An open connection to the service's own database, for a test that holds a transaction across the service's work.</summary>
    public async Task<NpgsqlConnection> OpenDatabase()
    {
        var db = new NpgsqlConnection(DatabaseConnectionString);
        await db.OpenAsync();
        return db;
    }

    /// <summary>Runs trusted test SQL against the service's own database (the benchmark seeds with it).</summary>
    public async Task Execute(string sql, object? parameters = null)
    {
        await using var db = new NpgsqlConnection(DatabaseConnectionString);
        await db.ExecuteAsync(new CommandDefinition(sql, parameters, commandTimeout: 600));
    }

    /// <summary>Reads rows of the service's own database (trusted test SQL).</summary>
    public async Task<IReadOnlyList<T>> Query<T>(string sql, object? parameters = null)
    {
        await using var db = new NpgsqlConnection(DatabaseConnectionString);
        return (await db.QueryAsync<T>(sql, parameters)).AsList();
    }

    public async Task<IReadOnlyList<DeliveryView>> Deliveries(Guid clinicId, Guid sessionId) =>
        (await ClientFor(clinicId).GetFromJsonAsync<List<DeliveryView>>($"/api/notification/deliveries?sessionId={sessionId}"))!;

    public Task<IReadOnlyList<DeliveryView>> WaitForDeliveries(Guid clinicId, Guid sessionId, Func<IReadOnlyList<DeliveryView>, bool> done, string what) =>
        Eventually.Until(() => Deliveries(clinicId, sessionId), done, what);

    /// <summary>Registers full contact preferences for a patient (anonymous object shaped like the API's body).</summary>
    public async Task RegisterPreferences(Guid clinicId, Guid patientId, object preferences) =>
        (await ClientFor(clinicId).PutAsJsonAsync($"/api/notification/patients/{patientId}/contact", preferences)).EnsureSuccessStatusCode();

    /// <summary>Posts a text as the SMS provider would, signed with the provider's auth token unless told otherwise.</summary>
    public async Task<HttpResponseMessage> ReceiveSms(Guid clinicId, string from, string body, string? signature = null)
    {
        var path = $"/api/notification/sms/inbound/{clinicId}";
        var form = new Dictionary<string, string>
        {
            ["MessageSid"] = $"SM{Guid.NewGuid():N}", ["AccountSid"] = "AC0123", ["From"] = from, ["To"] = "+15550001111", ["Body"] = body
        };
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new FormUrlEncodedContent(form) };
        request.Headers.Add("X-Twilio-Signature", signature ?? InboundSmsSignature.Compute(SmsAuthToken, PublicBaseUrl + path, form));
        return await AnonymousClient().SendAsync(request);
    }

    /// <summary>How many rows of one of the service's tables belong to a clinic.</summary>
    public async Task<int> Count(string table, Guid clinicId)
    {
        await using var db = new NpgsqlConnection(DatabaseConnectionString);
        return await db.ExecuteScalarAsync<int>($"select count(*)::int from {table} where clinic_id = @Clinic", new { Clinic = clinicId });
    }

    /// <summary>How many opt-outs and opt-ins the service recorded for a clinic.</summary>
    public async Task<int> OptOutChangesFor(Guid clinicId)
    {
        await using var db = new NpgsqlConnection(DatabaseConnectionString);
        return await db.ExecuteScalarAsync<int>("select count(*)::int from opt_out_change where clinic_id = @Clinic", new { Clinic = clinicId });
    }

    /// <summary>How many rows the service holds for a clinic, read straight from its own database.</summary>
    public async Task<(int Contacts, int Deliveries)> RowsFor(Guid clinicId)
    {
        await using var db = new NpgsqlConnection(DatabaseConnectionString);
        return await db.QuerySingleAsync<(int, int)>("""
            select (select count(*) from contact where clinic_id = @Clinic)::int,
                   (select count(*) from delivery where clinic_id = @Clinic)::int
            """, new { Clinic = clinicId });
    }
}

/// <summary>A delivery as the API shows it (enums as their camelCase names).</summary>
public sealed record DeliveryView(Guid Id, Guid PatientId, Guid? SessionId, string Kind, string Channel, DateTimeOffset DueAt,
    string Status, DateTimeOffset? SentAt, string? Detail, string Recipient = "patient", Guid? RecipientId = null, string State = "", string? Reason = null);
