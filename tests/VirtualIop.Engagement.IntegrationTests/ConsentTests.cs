using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using VirtualIop.Contracts.Engagement;
using VirtualIop.TestSupport;

namespace VirtualIop.Engagement.IntegrationTests;

[Collection(EngagementCollection.Name)]
public sealed class ConsentTests(EngagementService engagement, RabbitMqBroker rabbitMq) : EngagementTests(engagement, rabbitMq)
{
    [Fact]
    public async Task A_consent_allows_contact_with_its_recipient_and_every_disclosure_is_accounted_for()
    {
        var clinic = Guid.NewGuid();
        var patient = await KnownPatient(clinic);
        var client = service.ClientFor(clinic);

        var granted = await client.PostAsJsonAsync($"/api/engagement/patients/{patient}/consents", ConsentBody());
        Assert.Equal(HttpStatusCode.Created, granted.StatusCode);
        var consent = (await granted.Content.ReadFromJsonAsync<ConsentView>())!;
        Assert.Equal(("active", "attendanceOnly", "Alex Rivera"), (consent.Status, consent.Scope, consent.RecipientName));
        var announced = Assert.Single(await service.Broker.WaitFor<ConsentGranted>(e => e.ClinicId == clinic, 1));
        Assert.Equal((consent.Id, patient, "attendanceOnly", "family"), (announced.ConsentId, announced.PatientId, announced.Purpose, announced.RecipientKind));

        var disclosed = await client.PostAsJsonAsync($"/api/engagement/patients/{patient}/disclosures",
            new { consentId = consent.Id, description = "Told Alex the patient missed Tuesday's group." });
        Assert.Equal(HttpStatusCode.Created, disclosed.StatusCode);

        var accounting = await client.GetFromJsonAsync<List<DisclosureView>>($"/api/engagement/patients/{patient}/disclosures");
        var entry = Assert.Single(accounting!);
        Assert.Equal((consent.Id, "Alex Rivera", "Told Alex the patient missed Tuesday's group.", "test-client"),
            (entry.ConsentId, entry.RecipientName, entry.Description, entry.DisclosedBy));
        Assert.Contains(("test-client", "engagement.disclosures"), await service.ReadsOf(clinic, patient));
    }

    [Fact]
    public async Task After_revocation_contact_is_refused_with_a_clear_problem_and_nothing_is_disclosed()
    {
        var clinic = Guid.NewGuid();
        var patient = await KnownPatient(clinic);
        var client = service.ClientFor(clinic);
        var consent = (await (await client.PostAsJsonAsync($"/api/engagement/patients/{patient}/consents", ConsentBody())).Content.ReadFromJsonAsync<ConsentView>())!;

        var revoked = await client.PostAsJsonAsync($"/api/engagement/patients/{patient}/consents/{consent.Id}/revocation", new { reason = "Patient asked in session." });
        Assert.Equal("revoked", (await revoked.Content.ReadFromJsonAsync<ConsentView>())!.Status);
        Assert.Equal(consent.Id, Assert.Single(await service.Broker.WaitFor<ConsentRevoked>(e => e.ClinicId == clinic, 1)).ConsentId);

        var refused = await client.PostAsJsonAsync($"/api/engagement/patients/{patient}/disclosures", new { consentId = consent.Id, description = "Attendance update" });

        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        var problem = await refused.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("No valid consent", problem.GetProperty("title").GetString());
        Assert.Empty((await client.GetFromJsonAsync<List<DisclosureView>>($"/api/engagement/patients/{patient}/disclosures"))!);
        Assert.Equal(0, await service.Count("disclosure", clinic));
        Assert.Equal(HttpStatusCode.Conflict,
            (await client.PostAsJsonAsync($"/api/engagement/patients/{patient}/consents/{consent.Id}/revocation", new { reason = "again" })).StatusCode);
    }

    [Theory]
    [InlineData("purpose", null, "purpose")]
    [InlineData("purpose", "  ", "purpose")]
    [InlineData("expiresAt", null, "expiresAt")]
    [InlineData("expiresAt", "2020-01-01T00:00:00Z", "expiresAt")]
    [InlineData("scope", "everything", "scope")]
    [InlineData("recipientContact", null, "recipientContact")]
    [InlineData("signedOn", null, "signedOn")]
    public async Task A_consent_without_what_section_2_31_requires_is_rejected_naming_the_field_and_nothing_is_written(string property, string? value, string field)
    {
        var clinic = Guid.NewGuid();
        var patient = await KnownPatient(clinic);
        var body = ConsentBody();
        body[property] = value;

        var response = await service.ClientFor(clinic).PostAsJsonAsync($"/api/engagement/patients/{patient}/consents", body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty(field, out _));
        Assert.Equal(0, await service.Count("consent", clinic));
    }

    [Fact]
    public async Task Another_clinic_can_neither_record_a_consent_for_the_patient_nor_use_or_see_theirs()
    {
        var clinic = Guid.NewGuid();
        var patient = await KnownPatient(clinic);
        var consent = (await (await service.ClientFor(clinic).PostAsJsonAsync($"/api/engagement/patients/{patient}/consents", ConsentBody()))
            .Content.ReadFromJsonAsync<ConsentView>())!;
        var otherClinic = Guid.NewGuid();
        var other = service.ClientFor(otherClinic);

        Assert.Equal(HttpStatusCode.NotFound, (await other.PostAsJsonAsync($"/api/engagement/patients/{patient}/consents", ConsentBody())).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound,
            (await other.PostAsJsonAsync($"/api/engagement/patients/{patient}/disclosures", new { consentId = consent.Id, description = "x" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound,
            (await other.PostAsJsonAsync($"/api/engagement/patients/{patient}/consents/{consent.Id}/revocation", new { })).StatusCode);
        Assert.Empty((await other.GetFromJsonAsync<List<ConsentView>>($"/api/engagement/patients/{patient}/consents"))!);
        Assert.Equal(0, await service.Count("consent", otherClinic));
    }

    sealed record ConsentView(Guid Id, Guid PatientId, string RecipientName, string Scope, string Status);

    sealed record DisclosureView(Guid Id, Guid ConsentId, string RecipientName, string Description, string DisclosedBy, DateTimeOffset DisclosedAt);
}
