using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using VirtualIop.Contracts.Attendance;
using VirtualIop.Contracts.Scheduling;
using VirtualIop.TestSupport;

namespace VirtualIop.Notification.IntegrationTests;

/// <summary>What the clinic reads: each delivery's state (queued, deferred, sent, failed, suppressed with its reason), and a clinician's pending outreach.</summary>
[Collection(NotificationCollection.Name)]
public sealed class ReadsTests(PostgresServer postgres, RabbitMqBroker rabbitMq, SmtpSink smtp) : IAsyncLifetime
{
    readonly NotificationService service = new(postgres, rabbitMq, smtp);

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => service.DisposeAsync();

    [Fact]
    public async Task Deliveries_show_suppressed_for_an_opt_out_and_deferred_for_quiet_hours_with_the_reason()
    {
        await service.InitializeAsync();
        var clinic = Guid.NewGuid();
        var optedOut = Guid.NewGuid();
        var sleeping = Guid.NewGuid();
        await service.RegisterContact(clinic, optedOut);
        (await service.ClientFor(clinic).PutAsync($"/api/notification/patients/{optedOut}/contact/opt-outs/email", null)).EnsureSuccessStatusCode();
        var startsAt = DateTimeOffset.UtcNow.AddHours(3);
        var quietFrom = startsAt.AddMinutes(-30);
        await service.RegisterPreferences(clinic, sleeping, new
        {
            email = $"p-{sleeping:N}@example.test", timeZone = "UTC", quietHours = new { start = $"{quietFrom:HH:mm}", end = $"{startsAt.AddMinutes(30):HH:mm}" }
        });
        var now = DateTimeOffset.UtcNow;
        var missed = new SessionMissed(Guid.CreateVersion7(), clinic, Guid.NewGuid(), optedOut, now.AddHours(-1), "UTC", now);
        var session = new SessionScheduled(Guid.CreateVersion7(), clinic, Guid.NewGuid(), "groupTherapy", startsAt, startsAt.AddHours(1), "UTC", [sleeping]);

        await service.Broker.Publish(missed);
        await service.Broker.Publish(session);

        var suppressed = Assert.Single(await service.WaitForPatientDeliveries(clinic, optedOut, d => d is [{ Status: "suppressed" }], "the opt-out honoured"));
        Assert.Equal(("suppressed", "optOut"), (suppressed.State, suppressed.Reason));
        var deferred = await service.WaitForDeliveries(clinic, session.SessionId, d => d.Count == 2, "two reminders planned");
        Assert.All(deferred, d => Assert.Equal(("deferred", "quietHours"), (d.State, d.Reason)));
    }

    [Fact]
    public async Task A_clinician_sees_the_outreach_still_pending_about_their_patients_and_a_retry_shows_as_deferred()
    {
        service.SmtpServer = ("127.0.0.1", UnusedPort());
        await service.InitializeAsync();
        var clinic = Guid.NewGuid();
        var patient = Guid.NewGuid();
        var clinician = Guid.NewGuid();
        await service.RegisterContact(clinic, patient);
        await service.RegisterClinician(clinic, clinician);
        var startsAt = DateTimeOffset.UtcNow.AddDays(1);
        var session = new SessionScheduled(Guid.CreateVersion7(), clinic, Guid.NewGuid(), "groupTherapy", startsAt, startsAt.AddHours(1), "UTC", [patient],
            ClinicianId: clinician);
        await service.Broker.Publish(session);
        await service.Consumed.WaitFor(session.EventId, times: 1);

        await service.Broker.Publish(new AttendanceWarning(Guid.CreateVersion7(), clinic, patient, null, "minimumAttendance", 0.8m, 0.75m, DateTimeOffset.UtcNow));

        var pending = await Eventually.Until(
            async () => (await service.ClientFor(clinic).GetFromJsonAsync<List<DeliveryView>>($"/api/notification/clinicians/{clinician}/pending-outreach"))!,
            p => p.Count == 2 && p.All(d => d.State == "deferred"), "the support message and the alert waiting for a retry");
        Assert.Equal(["attendanceSupport", "clinicianAlert"], pending.Select(d => d.Kind).Order());
        Assert.All(pending, d => Assert.Contains("Mail server unavailable", d.Detail));
        Assert.Empty((await service.ClientFor(clinic).GetFromJsonAsync<List<DeliveryView>>($"/api/notification/clinicians/{Guid.NewGuid()}/pending-outreach"))!);
        Assert.Empty((await service.ClientFor(Guid.NewGuid()).GetFromJsonAsync<List<DeliveryView>>($"/api/notification/clinicians/{clinician}/pending-outreach"))!);
        Assert.Equal(HttpStatusCode.Unauthorized, (await service.AnonymousClient().GetAsync($"/api/notification/clinicians/{clinician}/pending-outreach")).StatusCode);
    }

    static int UnusedPort()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return port;
    }
}
