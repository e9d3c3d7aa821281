using System.Collections.Concurrent;
using System.Text.Json;
using Dapper;
using Npgsql;

namespace VirtualIop.BadInputTests;

/// <summary>A request the corpus faults: the route, the case, the status it got and what is wrong with the answer.</summary>
public sealed record Offence(string Service, string Route, string Case, int Status, string Why)
{
    public override string ToString() => $"{Service}: {Route} | {Case} | {Status} | {Why}";
}

/// <summary>The counts of a run: requests sent, 5xx answers, rows written by refused requests, and every offence.</summary>
public sealed class Tally
{
    int requests;
    int serverErrors;
    long writes;

    public int Requests => requests;
    public int ServerErrors => serverErrors;
    public long Writes => Interlocked.Read(ref writes);
    public ConcurrentQueue<Offence> Offences { get; } = new();

    /// <summary>How often each route got each status: shows whether a route's corpus got past its first check.</summary>
    public ConcurrentDictionary<(string Route, int Status), int> Statuses { get; } = new();

    public void Sent() => Interlocked.Increment(ref requests);
    public void ServerError() => Interlocked.Increment(ref serverErrors);
    public void Wrote(long rows) => Interlocked.Add(ref writes, rows);
}

/// <summary>
/// Sends a service's corpus route by route: the strict cases of a route in parallel (bounded), with every table's row count
/// taken before and after them, so a write is pinned to its route; then its lenient cases, after which counts are taken anew.
/// </summary>
public static class CorpusRun
{
    const int Parallelism = 4;

    public static async Task<int> Run(IServiceHost host, Tally tally)
    {
        var ids = await host.Seed(host.Clinic);
        var otherIds = await host.Seed(host.OtherClinic);
        var tables = await Tables(host.ConnectionString);
        await Settle(host.ConnectionString, tables);

        var corpus = new Corpus(host, ids, otherIds);
        using var client = host.Client();
        using var anonymous = host.Anonymous();
        var routes = RouteCatalog.Of(host);
        foreach (var route in routes)
        {
            var cases = corpus.For(route).ToList();
            var http = route.Anonymous ? anonymous : client;
            var before = await Counts(host.ConnectionString, tables);
            var accepted = new ConcurrentQueue<string>();
            await Send(host.Name, http, cases.Where(c => c.Strict), tally, accepted);
            var after = await Counts(host.ConnectionString, tables);
            var changed = tables.Where(t => after[t] != before[t]).Select(t => $"{t} {after[t] - before[t]:+#;-#}").ToList();
            if (changed.Count > 0)
            {
                tally.Wrote(tables.Sum(t => Math.Abs(after[t] - before[t])));
                tally.Offences.Enqueue(new Offence(host.Name, route.ToString(), accepted.IsEmpty ? "(strict cases)" : string.Join("; ", accepted.Order(StringComparer.Ordinal)), 0,
                    $"rows written: {string.Join(", ", changed)}"));
            }
            await Send(host.Name, http, cases.Where(c => !c.Strict), tally, accepted);
        }
        return routes.Count;
    }

    static Task Send(string service, HttpClient http, IEnumerable<Case> cases, Tally tally, ConcurrentQueue<string> accepted) =>
        Parallel.ForEachAsync(cases, new ParallelOptions { MaxDegreeOfParallelism = Parallelism }, async (c, ct) =>
        {
            using var request = c.Request();
            using var response = await http.SendAsync(request, ct);
            var body = await response.Content.ReadAsStringAsync(ct);
            tally.Sent();
            var status = (int)response.StatusCode;
            tally.Statuses.AddOrUpdate(($"{service}: {c.Route}", status), 1, (_, n) => n + 1);
            if (Judge(c, status, response.Content.Headers.ContentType?.MediaType, body) is not { } why) return;
            if (status >= 500) tally.ServerError();
            if (status < 400) accepted.Enqueue($"{c.Name} ({status})");
            tally.Offences.Enqueue(new Offence(service, c.Route.ToString(), c.Name, status, why));
        });

    /// <summary>What is wrong with an answer to a case, or null when it is what the corpus asks for.</summary>
    public static string? Judge(Case c, int status, string? mediaType, string body)
    {
        if (status >= 500) return "server error: " + Shorten(body);
        if (c.Foreign?.FirstOrDefault(id => body.Contains(id, StringComparison.OrdinalIgnoreCase)) is { } leaked)
            return $"shows the other clinic's {leaked}";
        if (status < 400) return c.Strict ? "bad input accepted" : null;
        // A throttled case never reached the endpoint: the host's limits must let the whole corpus through.
        if (status == 429) return "throttled, so the case was never judged";
        if (c.Expect == Expect.Unauthorized && status != 401) return "a missing or bad signature must answer 401";
        if (c.Route.Pattern.StartsWith("/api/fhir/", StringComparison.Ordinal) && mediaType == "application/fhir+json")
            return IsOperationOutcome(body, status == 400) ? null : "a FHIR error that is not an OperationOutcome naming the parameter: " + Shorten(body);
        if (mediaType != "application/problem+json") return $"not a problem details answer ({mediaType ?? "no content type"})";
        if (status == 400 && !NamesAField(body)) return "a 400 whose errors name no field: " + Shorten(body);
        return null;
    }

    /// <summary>The FHIR views answer errors as FHIR clients expect: an OperationOutcome, whose issues name the bad search parameter.</summary>
    static bool IsOperationOutcome(string body, bool namesAParameter)
    {
        try
        {
            using var json = JsonDocument.Parse(body);
            var root = json.RootElement;
            return root.TryGetProperty("resourceType", out var type) && type.GetString() == "OperationOutcome"
                   && root.TryGetProperty("issue", out var issues) && issues.ValueKind == JsonValueKind.Array && issues.GetArrayLength() > 0
                   && (!namesAParameter || issues.EnumerateArray().All(i => i.TryGetProperty("expression", out var e) && e.GetArrayLength() > 0));
        }
        catch (JsonException)
        {
            return false;
        }
    }

    static bool NamesAField(string body)
    {
        try
        {
            using var json = JsonDocument.Parse(body);
            return json.RootElement.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Object
                   && errors.EnumerateObject().Any(e => e.Name.Length > 0);
        }
        catch (JsonException)
        {
            return false;
        }
    }

    static string Shorten(string text) => text.Length <= 160 ? text : text[..160] + "…";

    static async Task<IReadOnlyList<string>> Tables(string connectionString)
    {
        await using var db = new NpgsqlConnection(connectionString);
        return (await db.QueryAsync<string>("select tablename from pg_tables where schemaname = 'public' order by tablename")).AsList();
    }

    /// <summary>Every table's row count in one statement (audit, inbox and outbox included: a refused request leaves no trace in any).</summary>
    static async Task<IReadOnlyDictionary<string, long>> Counts(string connectionString, IReadOnlyList<string> tables)
    {
        await using var db = new NpgsqlConnection(connectionString);
        var sql = string.Join(" union all ", tables.Select(t => $"select '{t}' as name, count(*) as rows from \"{t}\""));
        return (await db.QueryAsync<(string Name, long Rows)>(sql)).ToDictionary(r => r.Name, r => r.Rows);
    }

    /// <summary>Waits until what the seeding set off (consumers, relays, workers) has stopped adding rows.</summary>
    static async Task Settle(string connectionString, IReadOnlyList<string> tables)
    {
        var last = await Counts(connectionString, tables);
        for (var attempt = 0; attempt < 40; attempt++)
        {
            await Task.Delay(500);
            var now = await Counts(connectionString, tables);
            if (tables.All(t => now[t] == last[t])) return;
            last = now;
        }
    }
}
