using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Npgsql;
using VirtualIop.BuildingBlocks.Auth;
using VirtualIop.Contracts.Engagement;
using VirtualIop.TestSupport;

namespace VirtualIop.Engagement.IntegrationTests;

[Collection(EngagementCollection.Name)]
public sealed class TreatmentPlanTests(EngagementService engagement, RabbitMqBroker rabbitMq) : EngagementTests(engagement, rabbitMq)
{
    [Fact]
    public async Task Plan_adjustments_are_logged_with_who_and_why_and_announced_for_scheduling()
    {
        var clinic = Guid.NewGuid();
        var patient = await KnownPatient(clinic);
        var client = service.ClientFor(clinic);
        var url = $"/api/engagement/patients/{patient}/treatment-plan";

        var frequency = await client.PostAsJsonAsync($"{url}/adjustments", new { change = "frequency", sessionsPerWeek = 3, rationale = "Five evenings a week clash with shift work." });
        var modality = await client.PostAsJsonAsync($"{url}/adjustments", new { change = "modality", modality = "hybrid", rationale = "Add one individual session a week." });
        Assert.Equal((HttpStatusCode.Created, HttpStatusCode.Created), (frequency.StatusCode, modality.StatusCode));

        var log = (await client.GetFromJsonAsync<List<EntryView>>(url))!;
        Assert.Equal([("frequency", 3, null), ("modality", null, "hybrid")], log.Select(e => (e.Change, e.SessionsPerWeek, e.Modality)));
        Assert.All(log, e => Assert.Equal(("test-client", null), (e.RecordedBy, e.RecordedByUser)));
        Assert.Equal("Five evenings a week clash with shift work.", log[0].Rationale);
        Assert.Contains(("test-client", "engagement.treatmentPlan"), await service.ReadsOf(clinic, patient));

        var announced = await service.Broker.WaitFor<PlanAdjusted>(e => e.ClinicId == clinic, 2);
        Assert.Equal([("frequency", 3, null), ("modality", null, "hybrid")],
            announced.OrderBy(e => e.AdjustedAt).Select(e => (e.Change, e.SessionsPerWeek, e.Modality)));
    }

    [Fact]
    public async Task The_log_cannot_be_changed_or_deleted_even_from_inside_the_database()
    {
        var clinic = Guid.NewGuid();
        var patient = await KnownPatient(clinic);
        (await service.ClientFor(clinic).PostAsJsonAsync($"/api/engagement/patients/{patient}/treatment-plan/adjustments",
            new { change = "frequency", sessionsPerWeek = 2, rationale = "Step down." })).EnsureSuccessStatusCode();

        await using var db = new NpgsqlConnection(service.ConnectionString);
        await Assert.ThrowsAsync<PostgresException>(() => db.ExecuteAsync("update treatment_plan_entry set rationale = 'edited' where clinic_id = @Clinic", new { Clinic = clinic }));
        await Assert.ThrowsAsync<PostgresException>(() => db.ExecuteAsync("delete from treatment_plan_entry where clinic_id = @Clinic", new { Clinic = clinic }));
        Assert.Equal(1, await service.Count("treatment_plan_entry", clinic));
    }

    [Theory]
    [InlineData("""{ "change": "frequency", "sessionsPerWeek": 9, "rationale": "x" }""", "sessionsPerWeek")]
    [InlineData("""{ "change": "frequency", "rationale": "x" }""", "sessionsPerWeek")]
    [InlineData("""{ "change": "modality", "modality": "telepathy", "rationale": "x" }""", "modality")]
    [InlineData("""{ "change": "frequency", "sessionsPerWeek": 2 }""", "rationale")]
    [InlineData("""{ "change": "everything", "rationale": "x" }""", "change")]
    [InlineData("""{ "change": "frequency", "sessionsPerWeek": 3, "effectiveFrom": "2000-01-03", "rationale": "x" }""", "effectiveFrom")]
    [InlineData("""{ "change": "frequency", "sessionsPerWeek": 3, "effectiveFrom": "next monday", "rationale": "x" }""", "effectiveFrom")]
    [InlineData("""{ "change": "modality", "modality": "group", "effectiveFrom": "2000-01-03", "rationale": "x" }""", "effectiveFrom")]
    public async Task An_adjustment_that_makes_no_sense_is_rejected_naming_the_field_and_nothing_is_written(string body, string field)
    {
        var clinic = Guid.NewGuid();
        var patient = await KnownPatient(clinic);

        var response = await service.ClientFor(clinic).PostAsync($"/api/engagement/patients/{patient}/treatment-plan/adjustments",
            new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty(field, out _));
        Assert.Equal(0, await service.Count("treatment_plan_entry", clinic));
    }

    [Fact]
    public async Task Another_clinic_can_neither_adjust_nor_read_the_plan()
    {
        var clinic = Guid.NewGuid();
        var patient = await KnownPatient(clinic);
        (await service.ClientFor(clinic).PostAsJsonAsync($"/api/engagement/patients/{patient}/treatment-plan/adjustments",
            new { change = "modality", modality = "individual", rationale = "Group is overwhelming for now." })).EnsureSuccessStatusCode();
        var other = service.ClientFor(Guid.NewGuid());

        Assert.Equal(HttpStatusCode.NotFound, (await other.PostAsJsonAsync($"/api/engagement/patients/{patient}/treatment-plan/adjustments",
            new { change = "frequency", sessionsPerWeek = 1, rationale = "x" })).StatusCode);
        Assert.Empty((await other.GetFromJsonAsync<List<EntryView>>($"/api/engagement/patients/{patient}/treatment-plan"))!);
    }

    [Fact]
    public async Task A_clinicians_adjustment_records_who_they_are_and_its_effective_date_travels_to_scheduling()
    {
        var clinic = Guid.NewGuid();
        var patient = await KnownPatient(clinic);
        var clinician = Guid.NewGuid();
        var client = service.ClientWithToken(issuer => issuer.IssueStaff(clinic, clinician, StaffRoles.Clinician, ServiceUnderTest.StaffClientId,
            [PartnerScopes.Engagement], TimeSpan.FromMinutes(10)));
        var from = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(7);

        var created = await client.PostAsJsonAsync($"/api/engagement/patients/{patient}/treatment-plan/adjustments",
            new { change = "frequency", sessionsPerWeek = 3, effectiveFrom = from.ToString("yyyy-MM-dd"), rationale = "Step down from next week." });

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var entry = (await created.Content.ReadFromJsonAsync<EntryView>())!;
        Assert.Equal((ServiceUnderTest.StaffClientId, clinician.ToString(), from), (entry.RecordedBy, entry.RecordedByUser, entry.EffectiveFrom));
        var announced = Assert.Single(await service.Broker.WaitFor<PlanAdjusted>(e => e.ClinicId == clinic, 1));
        Assert.Equal((3, from), (announced.SessionsPerWeek, announced.EffectiveFrom));
    }

    sealed record EntryView(Guid Id, string Change, int? SessionsPerWeek, string? Modality, string Rationale, string RecordedBy,
        string? RecordedByUser = null, DateOnly? EffectiveFrom = null);
}
