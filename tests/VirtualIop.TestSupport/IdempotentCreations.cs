using System.Net;
using System.Net.Http.Json;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using Dapper;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Npgsql;
using VirtualIop.BuildingBlocks.Http.Idempotency;
using Xunit;

namespace VirtualIop.TestSupport;

/// <summary>
/// One creating call with valid data, made ready by a test's arrangement: the POST's path and JSON body (none for a
/// body-less POST), and the SQL that counts the resource it creates for the clinic (<c>@Clinic</c>).
/// </summary>
public sealed record CreatingCall(string Path, object? Body, string CountSql);

/// <summary>
/// Walks a service's creating endpoints (a handler that can answer 201) with an Idempotency-Key. Each must carry
/// <see cref="IdempotentCreation"/>; and for each, two concurrent identical requests create exactly one resource (the
/// second gets the first's answer, or a 409 with Retry-After while the first still runs), a retry replays the first answer
/// (status, body, Location) writing nothing, and the same key with another body answers 422 naming the header.
/// </summary>
public static class IdempotentCreations
{
    public static async Task Walk(IEnumerable<RouteEndpoint> routes, Func<Guid, HttpClient> clientFor, string connectionString,
        IReadOnlyDictionary<string, Func<HttpClient, Guid, Task<CreatingCall>>> arrange)
    {
        var endpoints = routes.ToList();
        var failures = endpoints.Where(e => DeclaresCreated(e) && e.Metadata.GetMetadata<IdempotentCreation>() is null)
            .Select(e => $"{PatientDataAudit.Name(e)}: answers 201 but is not marked .Idempotent()").ToList();
        var marked = endpoints.Where(e => e.Metadata.GetMetadata<IdempotentCreation>() is not null).Select(PatientDataAudit.Name).ToList();
        Assert.NotEmpty(marked);
        foreach (var name in marked)
        {
            if (!arrange.TryGetValue(name, out var arrangement))
            {
                failures.Add($"{name}: no arrangement walks it");
                continue;
            }
            var clinicId = Guid.NewGuid();
            var client = clientFor(clinicId);
            var call = await arrangement(client, clinicId);
            failures.AddRange((await Check(client, connectionString, clinicId, call)).Select(f => $"{name}: {f}"));
        }
        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
    }

    static async Task<IReadOnlyList<string>> Check(HttpClient client, string connectionString, Guid clinicId, CreatingCall call)
    {
        var key = Guid.NewGuid().ToString();
        var before = await Count(connectionString, call, clinicId);
        var pair = await Task.WhenAll(Send(client, call.Path, call.Body, key), Send(client, call.Path, call.Body, key));
        if (pair.FirstOrDefault(a => a.IsSuccess) is not { } first) return [$"no request of the pair succeeded: {string.Join(" / ", pair.Select(a => a.ToString()))}"];
        var failures = new List<string>();
        foreach (var other in pair.Where(a => a != first))
        {
            if (other.IsSuccess ? !other.SameAs(first) : other.Status != HttpStatusCode.Conflict || !other.RetryAfter)
                failures.Add($"the concurrent twin answered {other}, not the first's answer ({first}) nor a 409 with Retry-After");
        }
        var created = await Count(connectionString, call, clinicId) - before;
        if (created != 1) failures.Add($"two concurrent identical requests created {created} resources");

        var rows = await SettledRows(connectionString);
        var replay = await Send(client, call.Path, call.Body, key);
        if (!replay.SameAs(first) || !replay.Replayed) failures.Add($"the retry answered {replay}, not the first answer {first} marked replayed");
        var other422 = await Send(client, call.Path, Differing(call.Body), key);
        if (other422.Status != HttpStatusCode.UnprocessableEntity || !other422.NamesTheHeader)
            failures.Add($"the key with another body answered {other422}, not a 422 naming {IdempotentRetries.Header}");
        var after = await SettledRows(connectionString);
        var changed = after.Where(t => rows.GetValueOrDefault(t.Key) != t.Value).Select(t => $"{t.Key} {t.Value - rows.GetValueOrDefault(t.Key):+#;-#}").ToList();
        if (changed.Count > 0) failures.Add($"the retry and the refused body wrote rows: {string.Join(", ", changed)}");
        return failures;
    }

    /// <summary>The handler declares a 201 among its results.</summary>
    static bool DeclaresCreated(Endpoint endpoint) =>
        endpoint.Metadata.GetMetadata<MethodInfo>() is { } handler && ResultTypes(handler.ReturnType).Any(t =>
            t == typeof(Created) || (t.IsGenericType && t.GetGenericTypeDefinition() == typeof(Created<>)));

    static IEnumerable<Type> ResultTypes(Type type)
    {
        if (type.IsGenericType && type.GetGenericTypeDefinition() is var generic && (generic == typeof(Task<>) || generic == typeof(ValueTask<>)))
            return ResultTypes(type.GetGenericArguments()[0]);
        return type.IsGenericType && type.Namespace == typeof(Created).Namespace && type.Name.StartsWith("Results`", StringComparison.Ordinal)
            ? type.GetGenericArguments()
            : [type];
    }

    /// <summary>A body that differs from the first: the same fields and one more (an empty object for a body-less call).</summary>
    static JsonNode Differing(object? body)
    {
        var node = body is null ? new JsonObject() : JsonSerializer.SerializeToNode(body, JsonSerializerOptions.Web)!.AsObject();
        node["differs"] = true;
        return node;
    }

    static async Task<Answer> Send(HttpClient client, string path, object? body, string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = body is null ? null : JsonContent.Create(body) };
        request.Headers.Add(IdempotentRetries.Header, key);
        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return new Answer(response.StatusCode, text, response.Headers.Location?.OriginalString, response.Headers.RetryAfter is not null,
            response.Headers.TryGetValues(IdempotentRetries.ReplayedHeader, out var replayed) && replayed.Single() == "true");
    }

    static async Task<long> Count(string connectionString, CreatingCall call, Guid clinicId)
    {
        await using var db = new NpgsqlConnection(connectionString);
        return await db.ExecuteScalarAsync<long>(call.CountSql, new { Clinic = clinicId });
    }

    /// <summary>Every table's row count, once what earlier calls set off (relays, consumers) has stopped adding rows.</summary>
    static async Task<IReadOnlyDictionary<string, long>> SettledRows(string connectionString)
    {
        await using var db = new NpgsqlConnection(connectionString);
        var tables = (await db.QueryAsync<string>("select tablename from pg_tables where schemaname = 'public'")).ToList();
        var sql = string.Join(" union all ", tables.Select(t => $"select '{t}' as name, count(*) as rows from \"{t}\""));
        var last = (await db.QueryAsync<(string Name, long Rows)>(sql)).ToDictionary(r => r.Name, r => r.Rows);
        for (var attempt = 0; attempt < 40; attempt++)
        {
            await Task.Delay(250);
            var now = (await db.QueryAsync<(string Name, long Rows)>(sql)).ToDictionary(r => r.Name, r => r.Rows);
            if (now.All(t => last.GetValueOrDefault(t.Key) == t.Value)) return now;
            last = now;
        }
        return last;
    }

    sealed record Answer(HttpStatusCode Status, string Body, string? Location, bool RetryAfter, bool Replayed)
    {
        public bool IsSuccess => (int)Status is >= 200 and < 300;

        public bool SameAs(Answer other) => Status == other.Status && Body == other.Body && Location == other.Location;

        public bool NamesTheHeader
        {
            get
            {
                try
                {
                    return JsonDocument.Parse(Body).RootElement.GetProperty("errors").TryGetProperty(IdempotentRetries.Header, out _);
                }
                catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
                {
                    return false;
                }
            }
        }

        public override string ToString() => $"{(int)Status} {(Body.Length <= 200 ? Body : Body[..200] + "…")}";
    }
}
