using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using VirtualIop.TestSupport;

namespace VirtualIop.Engagement.IntegrationTests;

[Collection(EngagementCollection.Name)]
public sealed class InputBoundsTests(EngagementService engagement, RabbitMqBroker rabbitMq) : EngagementTests(engagement, rabbitMq)
{
    static async Task AssertNames(HttpResponseMessage response, string field)
    {
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty(field, out _), field);
    }

    [Theory]
    [InlineData("expiresAt", "2100-01-01T00:00:00Z")]
    [InlineData("signedOn", "1999-12-31")]
    public async Task A_consent_dated_outside_2000_to_2100_is_refused_naming_the_field_and_nothing_is_written(string field, string value)
    {
        var clinic = Guid.NewGuid();
        var patient = await KnownPatient(clinic);
        var body = ConsentBody();
        body[field] = value;

        await AssertNames(await service.ClientFor(clinic).PostAsJsonAsync($"/api/engagement/patients/{patient}/consents", body), field);
        Assert.Equal(0, await service.Count("consent", clinic));
    }

    [Fact]
    public async Task A_follow_up_due_past_2100_is_refused_naming_dueBy()
    {
        var clinic = Guid.NewGuid();
        var patient = await KnownPatient(clinic);

        await AssertNames(await service.ClientFor(clinic).PostAsJsonAsync("/api/engagement/follow-ups",
            new { patientId = patient, kind = "individualCounselling", dueBy = "2100-06-01T00:00:00Z" }), "dueBy");
        Assert.Single(await service.FollowUpsOf(clinic, patient));
    }

    [Theory]
    [InlineData("""{ "keyPoints": ["ok"], "homework": { "title": "Log", "instructions": "Do it", "dueOn": "2100-01-01" } }""", "homework.dueOn")]
    [InlineData("""{ "keyPoints": ["ok"], "homework": { "title": "Log", "instructions": "Do it", "dueOn": "1999-12-31" } }""", "homework.dueOn")]
    public async Task Content_dated_outside_2000_to_2100_is_refused_naming_the_field_and_nothing_is_written(string body, string field)
    {
        var (clinic, session) = (Guid.NewGuid(), Guid.NewGuid());
        await service.KnowSession(clinic, session);

        await AssertNames(await service.ClientFor(clinic).PutAsync($"/api/engagement/sessions/{session}/content",
            new StringContent(body, System.Text.Encoding.UTF8, "application/json")), field);
        Assert.Equal(0, await service.Count("session_content", clinic));
    }

    [Fact]
    public async Task A_link_longer_than_2000_characters_is_refused_naming_it()
    {
        var (clinic, session) = (Guid.NewGuid(), Guid.NewGuid());
        await service.KnowSession(clinic, session);

        await AssertNames(await service.ClientFor(clinic).PutAsJsonAsync($"/api/engagement/sessions/{session}/content",
            new { keyPoints = new[] { "ok" }, recordingUrl = "https://media.example.org/" + new string('a', 2000) }), "recordingUrl");
        Assert.Equal(0, await service.Count("session_content", clinic));
    }

    [Theory]
    [InlineData("follow-ups?limit=0", "limit")]
    [InlineData("follow-ups?limit=501", "limit")]
    [InlineData("follow-ups?cursor=bm90LWEtY3Vyc29y", "cursor")]
    [InlineData("follow-ups?assignee={1}", "assignee")]
    [InlineData("patients/{0}/consents?limit=0", "limit")]
    [InlineData("patients/{0}/disclosures?cursor=x", "cursor")]
    [InlineData("patients/{0}/family-involvement?limit=100000", "limit")]
    [InlineData("patients/{0}/treatment-plan?limit=-1", "limit")]
    public async Task A_list_read_past_its_bounds_is_refused_naming_the_field(string query, string field)
    {
        var url = "/api/engagement/" + string.Format(System.Globalization.CultureInfo.InvariantCulture, query, Guid.NewGuid(), new string('a', 201));
        await AssertNames(await service.ClientFor(Guid.NewGuid()).GetAsync(url), field);
    }

    [Fact]
    public async Task A_patients_consents_page_oldest_first_with_a_cursor()
    {
        var clinic = Guid.NewGuid();
        var patient = await KnownPatient(clinic);
        var granted = new List<Guid>();
        foreach (var scope in new[] { "attendanceOnly", "attendanceOnly", "attendanceOnly" }) granted.Add(await GrantConsent(clinic, patient, scope));
        var client = service.ClientFor(clinic);

        var page1 = await client.GetAsync($"/api/engagement/patients/{patient}/consents?limit=2");
        var cursor = Assert.Single(page1.Headers.GetValues("X-Next-Cursor"));
        var page2 = await client.GetAsync($"/api/engagement/patients/{patient}/consents?limit=2&cursor={cursor}");

        var ids = (await page1.Content.ReadFromJsonAsync<List<IdOnly>>())!.Concat((await page2.Content.ReadFromJsonAsync<List<IdOnly>>())!).Select(c => c.Id);
        Assert.Equal(granted, ids);
        Assert.False(page2.Headers.Contains("X-Next-Cursor"));
    }

    sealed record IdOnly(Guid Id);
}
