using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace VirtualIop.Scheduling.IntegrationTests;

/// <summary>Small helpers that drive the Scheduling API as a partner would.</summary>
static class Api
{
    public static async Task<JsonElement> Json(this HttpResponseMessage response) => await response.Content.ReadFromJsonAsync<JsonElement>();

    public static async Task<JsonElement> Created(this Task<HttpResponseMessage> request)
    {
        var response = await request;
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"expected 201, got {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return await response.Json();
    }

    public static async Task AssertValidationProblem(this HttpResponseMessage response, string field)
    {
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var errors = (await response.Json()).GetProperty("errors");
        Assert.True(errors.TryGetProperty(field, out _), $"expected an error for '{field}', got {errors}");
    }

    public static async Task AssertProblem(this HttpResponseMessage response, HttpStatusCode status)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    public static Task<JsonElement> CreateProgram(this HttpClient clinic, params (string Title, string Kind)[] topics) =>
        clinic.PostAsJsonAsync("/api/scheduling/programs", new
        {
            name = "Adult SUD IOP, 3 h/day, Mon/Wed/Thu, 8 weeks",
            topics = topics.Select(t => new { title = t.Title, kind = t.Kind })
        }).Created();

    public static Task<JsonElement> CreateCohort(this HttpClient clinic, Guid programId, int capacity = 10,
        string timeZone = "America/New_York", Guid? facilitator = null) =>
        clinic.PostAsJsonAsync("/api/scheduling/cohorts", new
        {
            programId,
            name = "Evening group A",
            facilitatorClinicianId = facilitator ?? Guid.NewGuid(),
            capacity,
            timeZone
        }).Created();

    public static Task<HttpResponseMessage> Enrol(this HttpClient clinic, Guid cohortId, Guid patientId) =>
        clinic.PostAsJsonAsync($"/api/scheduling/cohorts/{cohortId}/enrolments", new { patientId });

    /// <summary>Follows a listing's rel="next" links from <paramref name="url"/> to its last page; every page must be a 200.</summary>
    public static async Task<(List<JsonElement> Items, int Pages)> AllPages(this HttpClient clinic, string url)
    {
        var items = new List<JsonElement>();
        var pages = 0;
        for (string? next = url; next is not null; pages++)
        {
            var page = await clinic.GetAsync(next);
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
            items.AddRange((await page.Json()).EnumerateArray());
            next = page.Headers.TryGetValues("Link", out var links) ? links.Single().Split('>')[0].TrimStart('<') : null;
        }
        return (items, pages);
    }

    public static Guid Id(this JsonElement element) => element.GetProperty("id").GetGuid();

    public static Guid[] Roster(this JsonElement cohort) => cohort.GetProperty("roster").EnumerateArray().Select(p => p.GetGuid()).ToArray();
}
