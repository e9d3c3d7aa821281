using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using VirtualIop.Contracts.Attendance;
using VirtualIop.Contracts.Engagement;
using VirtualIop.TestSupport;

namespace VirtualIop.Notification.IntegrationTests;

/// <summary>Family and support contacts are written to only under a consent fed by Engagement's events; every send is a recorded disclosure.</summary>
[Collection(NotificationCollection.Name)]
public sealed class SupportContactsTests(NotificationService service, SmtpSink smtp) : IClassFixture<NotificationService>
{
    async Task<string> RegisterSupporter(Guid clinic, Guid patient, Guid consentId, string kind = "family")
    {
        var contactId = Guid.NewGuid();
        var email = $"supporter-{contactId:N}@example.test";
        (await service.ClientFor(clinic).PutAsJsonAsync($"/api/notification/patients/{patient}/support-contacts/{contactId}",
            new { consentId, recipientKind = kind, email })).EnsureSuccessStatusCode();
        return email;
    }

    async Task<ConsentGranted> Grant(Guid clinic, Guid patient, string recipientKind = "family", DateTimeOffset? expiresAt = null)
    {
        var granted = new ConsentGranted(Guid.CreateVersion7(), clinic, Guid.NewGuid(), patient, "attendanceOnly", recipientKind,
            expiresAt ?? DateTimeOffset.UtcNow.AddDays(90), DateTimeOffset.UtcNow.AddDays(-1));
        await service.Broker.Publish(granted);
        await service.Consumed.WaitFor(granted.EventId, times: 1);
        return granted;
    }

    static SessionMissed Missed(Guid clinic, Guid patient)
    {
        var now = DateTimeOffset.UtcNow;
        return new SessionMissed(Guid.CreateVersion7(), clinic, Guid.NewGuid(), patient, now.AddHours(-1), "America/Denver", now);
    }

    async Task<IReadOnlyList<JsonElement>> Disclosures(Guid clinic, Guid patient) =>
        (await service.ClientFor(clinic).GetFromJsonAsync<List<JsonElement>>($"/api/notification/patients/{patient}/disclosures"))!;

    [Fact]
    public async Task A_supporter_named_in_a_valid_consent_gets_a_note_about_a_missed_session_and_the_disclosure_is_recorded()
    {
        var clinic = Guid.NewGuid();
        var patient = Guid.NewGuid();
        var consent = await Grant(clinic, patient);
        var supporter = await RegisterSupporter(clinic, patient, consent.ConsentId);
        var missed = Missed(clinic, patient);

        await service.Broker.Publish(missed);

        var mail = await smtp.WaitForMessageAsync(supporter);
        Assert.Equal("A note from VirtualIop about someone you support", mail.Subject);
        var body = await smtp.GetPlainTextAsync(mail);
        Assert.Contains("asked us to keep you informed", body);
        Assert.DoesNotContain(patient.ToString(), body);
        var disclosure = Assert.Single(await Eventually.Until(() => Disclosures(clinic, patient), d => d.Count == 1, "the disclosure recorded"));
        Assert.Equal(consent.ConsentId, disclosure.GetProperty("consentId").GetGuid());
        Assert.Equal("attendance", disclosure.GetProperty("purpose").GetString());
    }

    [Fact]
    public async Task Without_a_covering_consent_the_note_is_suppressed_and_the_suppression_recorded()
    {
        var clinic = Guid.NewGuid();
        var patient = Guid.NewGuid();
        var otherKind = await RegisterSupporter(clinic, patient, (await Grant(clinic, patient, recipientKind: "supportPerson")).ConsentId);
        var revokedConsent = await Grant(clinic, patient);
        var revoked = await RegisterSupporter(clinic, patient, revokedConsent.ConsentId);
        var revocation = new ConsentRevoked(Guid.CreateVersion7(), clinic, revokedConsent.ConsentId, patient, DateTimeOffset.UtcNow);
        await service.Broker.Publish(revocation);
        await service.Consumed.WaitFor(revocation.EventId, times: 1);
        var missed = Missed(clinic, patient);

        await service.Broker.Publish(missed);

        var notes = await service.WaitForDeliveries(clinic, missed.SessionId,
            d => d.Count(x => x.Kind == "supportUpdate" && x.Status != "pending" && x.Status != "sending") == 2, "both notes decided");
        Assert.All(notes.Where(d => d.Kind == "supportUpdate"), d => Assert.Equal(("suppressed", "consent"), (d.State, d.Reason)));
        await service.WaitForDeliveries(clinic, missed.SessionId, d => d.Any(x => x.Kind == "missedSession" && x.Status == "skipped"), "the patient's own");
        Assert.Empty(await Disclosures(clinic, patient));
        foreach (var supporter in new[] { otherKind, revoked }) Assert.Empty(await smtp.MessagesToAsync(supporter));
    }

    [Fact]
    public async Task A_support_contact_needs_a_consent_a_known_kind_and_a_valid_email_and_belongs_to_one_clinic()
    {
        var clinic = Guid.NewGuid();
        var patient = Guid.NewGuid();

        var bad = await service.ClientFor(clinic).PutAsJsonAsync($"/api/notification/patients/{patient}/support-contacts/{Guid.NewGuid()}",
            new { recipientKind = "neighbour", email = "nope" });

        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var errors = (await bad.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.True(errors.TryGetProperty("consentId", out _) && errors.TryGetProperty("recipientKind", out _) && errors.TryGetProperty("email", out _));
        Assert.Equal(0, await service.Count("support_contact", clinic));
        var unknownConsent = await service.ClientFor(clinic).PutAsJsonAsync($"/api/notification/patients/{patient}/support-contacts/{Guid.NewGuid()}",
            new { consentId = Guid.NewGuid(), recipientKind = "family", email = "supporter@example.test" });
        Assert.Equal(HttpStatusCode.NotFound, unknownConsent.StatusCode);
        Assert.Equal("consent", (await unknownConsent.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("resource").GetString());
        Assert.Equal(0, await service.Count("support_contact", clinic));
        await RegisterSupporter(clinic, patient, (await Grant(clinic, patient)).ConsentId);
        Assert.Empty((await service.ClientFor(Guid.NewGuid()).GetFromJsonAsync<List<JsonElement>>($"/api/notification/patients/{patient}/support-contacts"))!);
        Assert.Equal(HttpStatusCode.Unauthorized, (await service.AnonymousClient().GetAsync($"/api/notification/patients/{patient}/disclosures")).StatusCode);
    }
}
