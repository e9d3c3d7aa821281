using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using VirtualIop.BuildingBlocks.Http;
using VirtualIop.Contracts.Engagement;
using VirtualIop.Contracts.Scheduling;
using VirtualIop.TestSupport;

namespace VirtualIop.Notification.IntegrationTests;

/// <summary>Ids the caller does not own answer 404 with nothing written; lists page by keyset; sizes are bounded; never a 5xx.</summary>
[Collection(NotificationCollection.Name)]
public sealed class BadInputTests(PostgresServer postgres, RabbitMqBroker rabbitMq, SmtpSink smtp) : IAsyncLifetime
{
    readonly NotificationService service = new(postgres, rabbitMq, smtp);

    public Task InitializeAsync() => service.InitializeAsync();

    public Task DisposeAsync() => service.DisposeAsync();

    Task<HttpResponseMessage> PutSupporter(Guid clinic, Guid patient, Guid contactId, Guid consentId, string email) =>
        service.ClientFor(clinic).PutAsJsonAsync($"/api/notification/patients/{patient}/support-contacts/{contactId}",
            new { consentId, recipientKind = "family", email });

    async Task<ConsentGranted> Grant(Guid clinic, Guid patient)
    {
        var granted = new ConsentGranted(Guid.CreateVersion7(), clinic, Guid.NewGuid(), patient, "attendanceOnly", "family",
            DateTimeOffset.UtcNow.AddDays(90), DateTimeOffset.UtcNow.AddDays(-1));
        await service.Broker.Publish(granted);
        await service.Consumed.WaitFor(granted.EventId, times: 1);
        return granted;
    }

    [Fact]
    public async Task A_support_contact_id_of_another_patient_is_404_and_theirs_stays_as_it_was()
    {
        var clinic = Guid.NewGuid();
        var (patient, other) = (Guid.NewGuid(), Guid.NewGuid());
        var contactId = Guid.NewGuid();
        (await PutSupporter(clinic, patient, contactId, (await Grant(clinic, patient)).ConsentId, "first@example.test")).EnsureSuccessStatusCode();

        var response = await PutSupporter(clinic, other, contactId, (await Grant(clinic, other)).ConsentId, "hijack@example.test");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(1, await service.CountWhere("support_contact", "clinic_id = @Clinic and email = 'first@example.test' and patient_id = @Patient",
            new { Clinic = clinic, Patient = patient }));
        Assert.Equal(0, await service.CountWhere("support_contact", "email = 'hijack@example.test'", new { }));
    }

    [Fact]
    public async Task A_support_contact_under_another_clinics_or_another_patients_consent_is_404_and_nothing_is_written()
    {
        var (clinic, otherClinic) = (Guid.NewGuid(), Guid.NewGuid());
        var (patient, otherPatient) = (Guid.NewGuid(), Guid.NewGuid());
        var theirs = await Grant(otherClinic, patient);
        var anotherPatients = await Grant(clinic, otherPatient);

        var acrossClinics = await PutSupporter(clinic, patient, Guid.NewGuid(), theirs.ConsentId, "s1@example.test");
        var acrossPatients = await PutSupporter(clinic, patient, Guid.NewGuid(), anotherPatients.ConsentId, "s2@example.test");

        Assert.Equal(HttpStatusCode.NotFound, acrossClinics.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, acrossPatients.StatusCode);
        Assert.Equal(0, await service.Count("support_contact", clinic));
        (await PutSupporter(clinic, patient, Guid.NewGuid(), (await Grant(clinic, patient)).ConsentId, "s3@example.test")).EnsureSuccessStatusCode();
    }

    [Fact]
    public async Task Deliveries_page_by_keyset_with_a_next_link_and_a_bad_limit_or_cursor_is_a_400_naming_it()
    {
        var clinic = Guid.NewGuid();
        var patients = new[] { Guid.NewGuid(), Guid.NewGuid() };
        foreach (var p in patients) await service.RegisterContact(clinic, p);
        var startsAt = DateTimeOffset.UtcNow.AddDays(2);
        var session = new SessionScheduled(Guid.CreateVersion7(), clinic, Guid.NewGuid(), "groupTherapy", startsAt, startsAt.AddHours(1), "UTC", patients);
        await service.Broker.Publish(session);
        await service.WaitForDeliveries(clinic, session.SessionId, d => d.Count == 4, "four planned reminders");
        var client = service.ClientFor(clinic);

        var seen = new List<Guid>();
        var url = $"/api/notification/deliveries?sessionId={session.SessionId}&limit=3";
        for (var pages = 0; url is not null; pages++)
        {
            Assert.True(pages < 3, "two pages at most");
            var response = await client.GetAsync(url);
            response.EnsureSuccessStatusCode();
            seen.AddRange((await response.Content.ReadFromJsonAsync<List<JsonElement>>())!.Select(d => d.GetProperty("id").GetGuid()));
            url = response.Headers.TryGetValues("Link", out var link) ? link.Single().Split('<', '>')[1] : null;
            if (url is not null) Assert.Contains(response.Headers.GetValues(KeysetPages.NextCursorHeader).Single(), url);
        }
        Assert.Equal(4, seen.Distinct().Count());

        foreach (var (query, field) in new[] { ("limit=0", "limit"), ($"limit={PageRequest.MaxLimit + 1}", "limit"), ("cursor=not-a-cursor", "cursor") })
        {
            var bad = await client.GetAsync($"/api/notification/deliveries?{query}");
            Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
            Assert.True((await bad.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty(field, out _), query);
        }
        foreach (var list in new[] { $"/api/notification/patients/{patients[0]}/support-contacts", $"/api/notification/patients/{patients[0]}/disclosures",
                     $"/api/notification/clinicians/{Guid.NewGuid()}/pending-outreach" })
            Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync(list + "?limit=0")).StatusCode);
    }

    [Fact]
    public async Task Contact_preferences_bound_the_channel_list_and_the_time_zone_naming_each()
    {
        var clinic = Guid.NewGuid();
        var patient = Guid.NewGuid();

        var response = await service.ClientFor(clinic).PutAsJsonAsync($"/api/notification/patients/{patient}/contact",
            new { email = "p@example.test", channels = Enumerable.Repeat("email", 1000).ToArray(), timeZone = new string('x', 10_000) });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.Contains("At most 3 entries.", errors.GetProperty("channels").EnumerateArray().Select(e => e.GetString()));
        Assert.Contains($"At most {InputBounds.MaxShortText} characters.", errors.GetProperty("timeZone").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(0, await service.Count("contact", clinic));
    }
}
