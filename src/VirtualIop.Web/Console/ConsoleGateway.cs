using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace VirtualIop.Web.StaffConsole;

/// <summary>A page of a listing and the cursor of the next page (the gateway's X-Next-Cursor), when there is more.</summary>
public sealed record Page<T>(IReadOnlyList<T> Items, string? NextCursor);

/// <summary>
/// The console's calls to the partner API through the gateway, as the signed-in staff member (see <see cref="SignedInTokenHandler"/>).
/// A read the clinic has no data for (404) answers null or an empty page; any other failure throws, and the error page shows.
/// </summary>
public sealed class ConsoleGateway(IHttpClientFactory factory)
{
    public const int PageSize = 50;

    static readonly JsonSerializerOptions Json = JsonSerializerOptions.Web;

    HttpClient Http => factory.CreateClient(ConsoleAuth.GatewayClient);

    public Task<Page<TodaySession>> Today(Guid clinicianId, CancellationToken ct) =>
        List<TodaySession>($"/api/attendance/clinicians/{clinicianId}/today?limit=100", ct);

    public Task<Page<WorkQueueEntry>> WorkQueue(string? cursor, CancellationToken ct) =>
        List<WorkQueueEntry>($"/api/engagement/work-queue?limit={PageSize}{Cursor(cursor)}", ct);

    public Task<PatientRisk?> Risk(Guid patientId, CancellationToken ct) => Find<PatientRisk>($"/api/engagement/patients/{patientId}/risk", ct);

    /// <summary>The risks of the patients named, fetched side by side (a page of the queue names at most <see cref="PageSize"/>).</summary>
    public async Task<IReadOnlyDictionary<Guid, PatientRisk>> Risks(IEnumerable<Guid> patientIds, CancellationToken ct)
    {
        var found = await Task.WhenAll(patientIds.Distinct().Select(id => Risk(id, ct)));
        return found.OfType<PatientRisk>().ToDictionary(r => r.PatientId);
    }

    public Task<HeatmapData?> Heatmap(Guid cohortId, DateTimeOffset? from, DateTimeOffset? to, CancellationToken ct)
    {
        var query = string.Join("&", new[] { ("from", from), ("to", to) }.Where(p => p.Item2 is not null)
            .Select(p => $"{p.Item1}={Uri.EscapeDataString(p.Item2!.Value.ToString("O"))}"));
        return Find<HeatmapData>($"/api/attendance/cohorts/{cohortId}/heatmap{(query.Length > 0 ? "?" + query : "")}", ct);
    }

    /// <summary>Assigns the task; null when done, else the field or reason the gateway refused it for.</summary>
    public Task<string?> Assign(Guid taskId, string assignee, CancellationToken ct) =>
        Change(() => Http.PutAsJsonAsync($"/api/engagement/follow-ups/{taskId}/assignee", new { assignee }, ct), ct);

    /// <summary>Moves the task (inProgress, done, cancelled; closing needs an outcome note); null when done, else why not.</summary>
    public Task<string?> Move(Guid taskId, string status, string? outcomeNote, CancellationToken ct) =>
        Change(() => Http.PostAsJsonAsync($"/api/engagement/follow-ups/{taskId}/status",
            new { status, outcomeNote = string.IsNullOrWhiteSpace(outcomeNote) ? null : outcomeNote }, ct), ct);

    /// <summary>
    /// A JSON document from any of the services' GET endpoints (the patient page shows them as tables): null when the
    /// clinic has none (404); <see cref="Forbidden"/> when the signed-in role may not read it (403).
    /// </summary>
    public async Task<JsonElement?> Document(string path, CancellationToken ct)
    {
        using var response = await Http.GetAsync(path, ct);
        if (response.StatusCode == HttpStatusCode.NotFound) return null;
        if (response.StatusCode == HttpStatusCode.Forbidden) return Forbidden;
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<JsonElement>(Json, ct);
    }

    /// <summary>What <see cref="Document"/> answers for a read the signed-in role is refused.</summary>
    public static readonly JsonElement Forbidden = JsonSerializer.SerializeToElement("forbidden");

    async Task<Page<T>> List<T>(string path, CancellationToken ct)
    {
        using var response = await Http.GetAsync(path, ct);
        if (response.StatusCode == HttpStatusCode.NotFound) return new([], null);
        response.EnsureSuccessStatusCode();
        var items = await response.Content.ReadFromJsonAsync<List<T>>(Json, ct) ?? [];
        var next = response.Headers.TryGetValues("X-Next-Cursor", out var values) ? values.FirstOrDefault() : null;
        return new(items, next);
    }

    async Task<T?> Find<T>(string path, CancellationToken ct) where T : class
    {
        using var response = await Http.GetAsync(path, ct);
        if (response.StatusCode == HttpStatusCode.NotFound) return null;
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<T>(Json, ct);
    }

    static async Task<string?> Change(Func<Task<HttpResponseMessage>> send, CancellationToken ct)
    {
        using var response = await send();
        if (response.IsSuccessStatusCode) return null;
        return response.StatusCode switch
        {
            HttpStatusCode.BadRequest => await FirstInvalidField(response, ct) ?? "invalid",
            HttpStatusCode.NotFound => "notFound",
            HttpStatusCode.Conflict => "conflict",
            HttpStatusCode.Forbidden => "forbidden",
            _ => throw new HttpRequestException($"The gateway answered {(int)response.StatusCode}.", null, response.StatusCode)
        };
    }

    static async Task<string?> FirstInvalidField(HttpResponseMessage response, CancellationToken ct)
    {
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Json, ct);
        return problem.ValueKind == JsonValueKind.Object && problem.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Object
            ? errors.EnumerateObject().Select(e => e.Name).FirstOrDefault()
            : null;
    }

    static string Cursor(string? cursor) => string.IsNullOrEmpty(cursor) ? "" : $"&cursor={Uri.EscapeDataString(cursor)}";
}
