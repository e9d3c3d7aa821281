using System.Text.Json.Nodes;
using Microsoft.OpenApi;
using VirtualIop.BuildingBlocks.Http;
using Yarp.ReverseProxy.Configuration;

namespace VirtualIop.Gateway;

/// <summary>
/// The partner API's one OpenAPI document: each service's own document, fetched from the same cluster addresses the
/// proxy routes to, merged. Fetched rather than built into the gateway, so the document always describes the services
/// as deployed (each ships on its own) and the gateway references none of their code. The services already map their
/// routes under <c>/api/&lt;service&gt;/</c>, as partners call them, so paths merge unchanged. A service that does not
/// answer keeps its last good document; one never fetched makes the document unavailable (503) rather than silently short.
/// </summary>
public sealed class ApiDocuments(IHttpClientFactory clients, IProxyConfigProvider proxy, TimeProvider clock, ILogger<ApiDocuments> logger)
{
    public const string HttpClientName = "openapi-documents";

    /// <summary>How long a fetched service document is served before it is fetched again.</summary>
    static readonly TimeSpan FreshFor = TimeSpan.FromMinutes(1);

    readonly Dictionary<string, (JsonObject Document, DateTimeOffset FetchedAt)> lastGood = new(StringComparer.Ordinal);
    readonly SemaphoreSlim refresh = new(1, 1);

    /// <returns>The merged document, or the clusters whose document could not be had.</returns>
    public async Task<(JsonObject? Document, IReadOnlyList<string> Missing)> Merged(string tokenUrl, CancellationToken ct)
    {
        var clusters = proxy.GetConfig().Clusters.Where(ServesPartnerApi).OrderBy(c => c.ClusterId, StringComparer.Ordinal).ToList();
        var documents = new List<(string Cluster, JsonObject Document)>();
        var missing = new List<string>();
        await refresh.WaitAsync(ct);
        try
        {
            var now = clock.GetUtcNow();
            var stale = clusters.Where(c => !lastGood.TryGetValue(c.ClusterId, out var held) || now - held.FetchedAt >= FreshFor).ToList();
            foreach (var (cluster, document) in await Task.WhenAll(stale.Select(async c => (c.ClusterId, await Fetch(c, ct)))))
            {
                if (document is not null) lastGood[cluster] = (document, now);
            }
            foreach (var cluster in clusters)
            {
                if (lastGood.TryGetValue(cluster.ClusterId, out var held)) documents.Add((cluster.ClusterId, held.Document));
                else missing.Add(cluster.ClusterId);
            }
        }
        finally
        {
            refresh.Release();
        }
        return missing.Count > 0 ? (null, missing) : (Merge(documents, tokenUrl), missing);
    }

    /// <summary>Every cluster is a service with a document, except those whose metadata says <c>"PartnerApi": "false"</c> (the web pages).</summary>
    static bool ServesPartnerApi(ClusterConfig cluster) =>
        cluster.Metadata?.TryGetValue("PartnerApi", out var value) != true || !string.Equals(value, "false", StringComparison.OrdinalIgnoreCase);

    async Task<JsonObject?> Fetch(ClusterConfig cluster, CancellationToken ct)
    {
        if (cluster.Destinations?.Values.FirstOrDefault()?.Address is not { } address) return null;
        try
        {
            using var client = clients.CreateClient(HttpClientName);
            var body = await client.GetStringAsync(new Uri(new Uri(address), ServiceOpenApi.DocumentPath), ct);
            return JsonNode.Parse(body) as JsonObject;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or System.Text.Json.JsonException && !ct.IsCancellationRequested)
        {
            logger.LogWarning(e, "The {Cluster} service's OpenAPI document could not be fetched", cluster.ClusterId);
            return null;
        }
    }

    /// <summary>
    /// Paths and tags side by side; schemas by name, where a name two services use for different shapes is given the
    /// cluster's name as a prefix in that service's document (references included), so neither shape is lost.
    /// </summary>
    static JsonObject Merge(IReadOnlyList<(string Cluster, JsonObject Document)> documents, string tokenUrl)
    {
        var paths = new JsonObject();
        var schemas = new JsonObject();
        var tags = new JsonArray();
        var tagNames = new HashSet<string>(StringComparer.Ordinal);
        var scopes = new List<string>();
        foreach (var (cluster, original) in documents)
        {
            var document = (JsonObject)original.DeepClone();
            var own = document["components"]?["schemas"] as JsonObject ?? [];
            var renames = own.Where(s => schemas[s.Key] is { } taken && !JsonNode.DeepEquals(taken, s.Value))
                .ToDictionary(s => s.Key, s => Prefix(cluster) + s.Key, StringComparer.Ordinal);
            if (renames.Count > 0) RenameReferences(document, renames);
            foreach (var (name, schema) in (document["components"]?["schemas"] as JsonObject ?? []).ToList())
            {
                var merged = renames.GetValueOrDefault(name, name);
                if (schemas[merged] is null) schemas[merged] = schema!.DeepClone();
            }
            foreach (var (path, item) in document["paths"] as JsonObject ?? []) paths[path] = item!.DeepClone();
            foreach (var tag in document["tags"] as JsonArray ?? [])
            {
                if (tag?["name"]?.GetValue<string>() is { } name && tagNames.Add(name)) tags.Add(tag.DeepClone());
            }
            if (document["components"]?["securitySchemes"]?[ServiceOpenApi.SecuritySchemeName]?["flows"]?["clientCredentials"]?["scopes"] is JsonObject own2)
                scopes.AddRange(own2.Select(s => s.Key));
        }

        var scheme = ServiceOpenApi.SecurityScheme(tokenUrl, scopes.Distinct(StringComparer.Ordinal));
        var components = new JsonObject
        {
            ["schemas"] = schemas,
            ["securitySchemes"] = new JsonObject { [ServiceOpenApi.SecuritySchemeName] = SchemeJson(scheme) },
        };
        return new JsonObject
        {
            ["openapi"] = "3.1.1",
            ["info"] = new JsonObject
            {
                ["title"] = "VirtualIop partner API",
                ["version"] = "v1",
                ["description"] = "Every service's API as partners call it through the gateway. Get a token with the client-credentials grant at the token URL of the `" + ServiceOpenApi.SecuritySchemeName + "` scheme and send it as a bearer token.",
            },
            ["paths"] = paths,
            ["components"] = components,
            ["tags"] = tags,
        };
    }

    static JsonNode SchemeJson(OpenApiSecurityScheme scheme)
    {
        using var text = new StringWriter();
        scheme.SerializeAsV31(new OpenApiJsonWriter(text));
        return JsonNode.Parse(text.ToString())!;
    }

    static string Prefix(string cluster) => char.ToUpperInvariant(cluster[0]) + cluster[1..];

    static void RenameReferences(JsonNode node, IReadOnlyDictionary<string, string> renames)
    {
        switch (node)
        {
            case JsonObject obj:
                if (obj["$ref"] is JsonValue reference && reference.GetValue<string>() is { } target
                    && target.StartsWith("#/components/schemas/", StringComparison.Ordinal)
                    && renames.TryGetValue(target["#/components/schemas/".Length..], out var renamed))
                    obj["$ref"] = "#/components/schemas/" + renamed;
                if (obj["components"]?["schemas"] is JsonObject schemas)
                {
                    foreach (var (from, to) in renames)
                    {
                        var schema = schemas[from];
                        schemas.Remove(from);
                        schemas[to] = schema;
                    }
                }
                foreach (var (_, child) in obj.ToList())
                {
                    if (child is not null) RenameReferences(child, renames);
                }
                break;
            case JsonArray array:
                foreach (var child in array)
                {
                    if (child is not null) RenameReferences(child, renames);
                }
                break;
        }
    }
}
