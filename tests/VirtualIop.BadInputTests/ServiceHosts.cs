using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using VirtualIop.BuildingBlocks.Auth;
using VirtualIop.Contracts;
using VirtualIop.Contracts.Attendance;
using VirtualIop.Contracts.Engagement;
using VirtualIop.Contracts.Scheduling;
using VirtualIop.TestSupport;

namespace VirtualIop.BadInputTests;

/// <summary>
/// One real service host for the corpus, on its own database and virtual host, with two clinics: <see cref="Clinic"/>, whose
/// token every request carries and whose webhooks have a secret, and <see cref="OtherClinic"/>, whose ids the corpus sends
/// with the first clinic's token. <see cref="Seed"/> gives both clinics real data, so the corpus meets ids that exist.
/// </summary>
/// <typeparam name="TAssembly">Any type of the service's assembly: every service's entry point is called Program.</typeparam>
public abstract class BadInputHost<TAssembly>(PostgresServer postgres, RabbitMqBroker rabbitMq, string service, string scope)
    : ServiceUnderTest<TAssembly>(postgres, rabbitMq, service, scope), IServiceHost where TAssembly : class
{
    public string Name { get; } = service;

    public Guid Clinic { get; } = Guid.NewGuid();

    public Guid OtherClinic { get; } = Guid.NewGuid();

    /// <summary>A webhook secret for <see cref="Clinic"/>, so that a badly signed call is refused for its signature, not for a missing secret.</summary>
    public string WebhookSecret => $"bad-input-webhook-secret-{Clinic:N}";

    public string ConnectionString => DatabaseConnectionString;

    public IEnumerable<Endpoint> Endpoints => Services.GetRequiredService<EndpointDataSource>().Endpoints;

    public JsonSerializerOptions Json => Services.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;

    public bool IsService(Type type) => Services.GetRequiredService<IServiceProviderIsService>().IsService(type);

    public HttpClient Client() => ClientFor(Clinic);

    public HttpClient Anonymous() => AnonymousClient();

    protected override void RecordEvents(ProbeSubscriptions probe)
    {
    }

    protected sealed override void Configure(IWebHostBuilder host)
    {
        host.ConfigureLogging(logging => logging.AddProvider(new ErrorLog(Name)));
        ConfigureService(host);
    }

    /// <summary>The service's own settings.</summary>
    protected virtual void ConfigureService(IWebHostBuilder host)
    {
    }

    public abstract Task<IReadOnlyDictionary<string, Guid>> Seed(Guid clinic);

    /// <summary>Publishes an event as the service around this one that owns it would, and waits until the service has taken it in.</summary>
    protected async Task Deliver<T>(T e) where T : class, IIntegrationEvent
    {
        await Broker.Publish(e);
        await Consumed.WaitFor(e.EventId, times: 1);
    }

    protected static SessionScheduled Session(Guid clinic, Guid session, Guid patient, Guid program, Guid cohort, Guid clinician) =>
        new(Guid.NewGuid(), clinic, session, "groupTherapy", Start, Start.AddMinutes(90), "America/Chicago", [patient], program, cohort, null, clinician, 1);

    /// <summary>Three days ahead on the hour: far enough that no sweep or reminder acts on the seeded sessions during the run.</summary>
    protected static DateTimeOffset Start { get; } = new DateTimeOffset(DateTimeOffset.UtcNow.Date, TimeSpan.Zero).AddDays(3).AddHours(15);
}

public interface IServiceHost : IAsyncLifetime
{
    string Name { get; }
    Guid Clinic { get; }
    Guid OtherClinic { get; }
    string ConnectionString { get; }
    string WebhookSecret { get; }
    IEnumerable<Endpoint> Endpoints { get; }
    JsonSerializerOptions Json { get; }
    bool IsService(Type type);
    HttpClient Client();
    HttpClient Anonymous();
    Task<IReadOnlyDictionary<string, Guid>> Seed(Guid clinic);
}

public sealed class SchedulingHost(PostgresServer postgres, RabbitMqBroker rabbitMq)
    : BadInputHost<Scheduling.Extensions.SchedulingOptions>(postgres, rabbitMq, "scheduling", PartnerScopes.Scheduling)
{
    protected override void ConfigureService(IWebHostBuilder host) =>
        host.UseSetting($"Scheduling:RecordingWebhook:Secrets:{Clinic}", WebhookSecret);

    public override async Task<IReadOnlyDictionary<string, Guid>> Seed(Guid clinic)
    {
        using var client = ClientFor(clinic);
        var patient = Guid.NewGuid();
        var clinician = Guid.NewGuid();
        var program = await Id(client, "/api/scheduling/programs", new { name = "Evening IOP", topics = new[] { new { title = "Coping skills", kind = "groupTherapy" } } });
        var cohort = await Id(client, "/api/scheduling/cohorts",
            new { programId = program, name = "Tuesday group", facilitatorClinicianId = clinician, capacity = 8, timeZone = "America/Chicago" });
        var other = await Id(client, "/api/scheduling/cohorts",
            new { programId = program, name = "Thursday group", facilitatorClinicianId = clinician, capacity = 8, timeZone = "America/Chicago" });
        (await client.PostAsJsonAsync($"/api/scheduling/cohorts/{cohort}/enrolments", new { patientId = patient })).EnsureSuccessStatusCode();
        var session = await Id(client, "/api/scheduling/sessions",
            new { kind = "individualTherapy", startsAt = Start, durationMinutes = 60, timeZone = "America/Chicago", patientIds = new[] { patient } });
        var series = await Id(client, $"/api/scheduling/cohorts/{cohort}/series",
            new { rrule = "FREQ=WEEKLY;BYDAY=TU;COUNT=4", startsAtLocal = Start.AddDays(1).ToString("yyyy-MM-dd'T'18:00"), durationMinutes = 90, timeZone = "America/Chicago" });
        return new Dictionary<string, Guid>
        {
            ["patientId"] = patient, ["clinicianId"] = clinician, ["facilitatorClinicianId"] = clinician, ["programId"] = program,
            ["cohortId"] = cohort, ["toCohortId"] = other, ["sessionId"] = session, ["seriesId"] = series,
        };
    }

    static async Task<Guid> Id(HttpClient client, string path, object body)
    {
        var response = await client.PostAsJsonAsync(path, body);
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"Seeding POST {path} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }
}

public sealed class AttendanceHost(PostgresServer postgres, RabbitMqBroker rabbitMq)
    : BadInputHost<Attendance.Extensions.AttendanceOptions>(postgres, rabbitMq, "attendance", PartnerScopes.Attendance)
{
    protected override void ConfigureService(IWebHostBuilder host)
    {
        host.UseSetting($"Attendance:Telehealth:Secrets:{Clinic}", WebhookSecret);
        host.UseSetting("Attendance:PolicyEvaluationInterval", "01:00:00");
    }

    public override async Task<IReadOnlyDictionary<string, Guid>> Seed(Guid clinic)
    {
        var (patient, clinician, program, cohort, session) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        await Deliver(Session(clinic, session, patient, program, cohort, clinician));
        using var client = ClientFor(clinic);
        var notice = await client.PostAsJsonAsync("/api/attendance/absence-notices",
            new { sessionId = session, patientId = patient, reasonCategory = "technicalDifficulty", notes = "Router down", notifiedBy = "patient" });
        if (!notice.IsSuccessStatusCode) throw new InvalidOperationException($"Seeding an absence notice answered {(int)notice.StatusCode}: {await notice.Content.ReadAsStringAsync()}");
        var noticeId = (await notice.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        return new Dictionary<string, Guid>
        {
            ["patientId"] = patient, ["clinicianId"] = clinician, ["staffId"] = clinician, ["participantId"] = patient, ["programId"] = program,
            ["cohortId"] = cohort, ["sessionId"] = session, ["noticeId"] = noticeId,
        };
    }
}

public sealed class NotificationHost(PostgresServer postgres, RabbitMqBroker rabbitMq)
    : BadInputHost<Notification.Extensions.NotificationOptions>(postgres, rabbitMq, "notification", PartnerScopes.Notification)
{
    public const string SmsAuthToken = "bad-input-sms-auth-token";

    protected override void ConfigureService(IWebHostBuilder host)
    {
        // Nothing is sent during the run (the seeded reminders fall due days later); an unreachable SMTP port keeps it so.
        host.UseSetting("Smtp:Host", "127.0.0.1");
        host.UseSetting("Smtp:Port", "9");
        host.UseSetting("Notification:PatientPortalUrl", "https://portal.virtualiop.test");
        host.UseSetting("Notification:ClinicianPortalUrl", "https://console.virtualiop.test");
        host.UseSetting("Sms:AuthToken", SmsAuthToken);
        host.UseSetting("Sms:PublicBaseUrl", "https://notification.virtualiop.test");
    }

    public override async Task<IReadOnlyDictionary<string, Guid>> Seed(Guid clinic)
    {
        var (patient, clinician, program, cohort, session, consent) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        using var client = ClientFor(clinic);
        (await client.PutAsJsonAsync($"/api/notification/patients/{patient}/contact", new { email = $"p-{patient:N}@example.test" })).EnsureSuccessStatusCode();
        (await client.PutAsJsonAsync($"/api/notification/clinicians/{clinician}/contact", new { email = $"c-{clinician:N}@example.test" })).EnsureSuccessStatusCode();
        var now = DateTimeOffset.UtcNow;
        await Deliver(new ProgramCreated(Guid.NewGuid(), clinic, program, now));
        await Deliver(Session(clinic, session, patient, program, cohort, clinician));
        (await client.PutAsJsonAsync($"/api/notification/programs/{program}/reminder-plan", new { offsets = new[] { "1.00:00:00" } })).EnsureSuccessStatusCode();
        await Deliver(new ConsentGranted(Guid.NewGuid(), clinic, consent, patient, "attendance support", "family", now.AddDays(90), now));
        return new Dictionary<string, Guid>
        {
            ["patientId"] = patient, ["clinicianId"] = clinician, ["programId"] = program, ["cohortId"] = cohort, ["sessionId"] = session,
            ["consentId"] = consent,
        };
    }
}

public sealed class EngagementHost(PostgresServer postgres, RabbitMqBroker rabbitMq)
    : BadInputHost<Engagement.Data.Consents>(postgres, rabbitMq, "engagement", PartnerScopes.Engagement)
{
    public override async Task<IReadOnlyDictionary<string, Guid>> Seed(Guid clinic)
    {
        var (patient, clinician, program, cohort, session) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        var scheduled = Session(clinic, session, patient, program, cohort, clinician);
        await Deliver(scheduled);
        await Deliver(new SessionMissed(Guid.NewGuid(), clinic, session, patient, scheduled.StartsAt, "America/Chicago", scheduled.EndsAt));
        using var client = ClientFor(clinic);
        var consent = await client.PostAsJsonAsync($"/api/engagement/patients/{patient}/consents", new
        {
            recipientName = "A. Sister", recipientContact = "sister@example.test", recipientKind = "family", purpose = "attendance support",
            scope = "attendanceOnly", expiresAt = DateTimeOffset.UtcNow.AddDays(90), signedOn = DateOnly.FromDateTime(DateTime.UtcNow)
        });
        if (!consent.IsSuccessStatusCode) throw new InvalidOperationException($"Seeding a consent answered {(int)consent.StatusCode}: {await consent.Content.ReadAsStringAsync()}");
        var consentId = (await consent.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        var tasks = await Eventually.Until(() => client.GetFromJsonAsync<JsonElement>($"/api/engagement/follow-ups?patientId={patient}"),
            list => list.GetArrayLength() > 0, "the seeded miss's follow-up task");
        var continuity = await Eventually.Until(() => client.GetFromJsonAsync<JsonElement>($"/api/engagement/patients/{patient}/continuity"),
            view => view.GetProperty("packages").GetArrayLength() > 0, "the seeded miss's continuity package");
        return new Dictionary<string, Guid>
        {
            ["patientId"] = patient, ["clinicianId"] = clinician, ["programId"] = program, ["cohortId"] = cohort, ["sessionId"] = session,
            ["consentId"] = consentId, ["followUpId"] = tasks[0].GetProperty("id").GetGuid(),
            ["packageId"] = continuity.GetProperty("packages")[0].GetProperty("id").GetGuid(),
        };
    }
}
