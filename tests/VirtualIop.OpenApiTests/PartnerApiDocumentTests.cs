using Microsoft.AspNetCore.Http;
using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.OpenApi;
using Microsoft.OpenApi.Reader;

namespace VirtualIop.OpenApiTests;

/// <summary>
/// The partner API's contract: every endpoint each service maps (read from its host's endpoint data source) is in the
/// service's document and in the gateway's merged one, and the merged one reads with zero errors and keeps the house
/// rules that make it usable by a partner (named, summarised, tagged operations; errors as problem details; paging headers).
/// </summary>
[Trait("Category", "OpenApi")]
public sealed class PartnerApiDocumentTests(PartnerApiHosts hosts) : IClassFixture<PartnerApiHosts>
{
    [Fact]
    public async Task Every_mapped_endpoint_of_every_service_is_in_its_document_and_the_gateways()
    {
        using var gateway = hosts.Gateway();
        var merged = Operations(JsonNode.Parse(await gateway.GetStringAsync("/openapi/v1.json"))!);
        var missing = new List<string>();
        foreach (var service in hosts.Services)
        {
            using var client = service.Anonymous();
            var own = Operations(JsonNode.Parse(await client.GetStringAsync("/openapi/v1.json"))!);
            var mapped = Mapped(service.Endpoints).ToList();
            Assert.NotEmpty(mapped);
            missing.AddRange(mapped.Where(e => !own.Contains(e)).Select(e => $"{service.Name} document: {e}"));
            missing.AddRange(mapped.Where(e => !merged.Contains(e)).Select(e => $"gateway document: {e}"));
        }
        Assert.True(missing.Count == 0, "Mapped but not documented:" + Environment.NewLine + string.Join(Environment.NewLine, missing));
    }

    [Fact]
    public async Task The_gateway_document_reads_without_errors_and_keeps_the_house_rules()
    {
        using var gateway = hosts.Gateway();
        var json = await gateway.GetStringAsync("/openapi/v1.json");
        var read = OpenApiDocument.Parse(json, OpenApiConstants.Json, new OpenApiReaderSettings());
        Assert.True(read.Diagnostic?.Errors.Count == 0, "Reader errors: " + string.Join("; ", read.Diagnostic?.Errors.Select(e => $"{e.Pointer}: {e.Message}") ?? []));
        var document = read.Document!;
        Assert.Equal(OpenApiSpecVersion.OpenApi3_1, read.Diagnostic!.SpecificationVersion);
        var validation = document.Validate(ValidationRuleSet.GetDefaultRuleSet())?.ToList() ?? [];
        Assert.True(validation.Count == 0, "Validation errors: " + string.Join("; ", validation.Select(e => $"{e.Pointer}: {e.Message}")));

        var broken = new List<string>();
        var operationIds = new HashSet<string>(StringComparer.Ordinal);
        Assert.NotEmpty(document.Paths);
        foreach (var (path, item) in document.Paths)
        {
            foreach (var (method, operation) in item.Operations ?? [])
            {
                var at = $"{method.Method} {path}";
                if (string.IsNullOrWhiteSpace(operation.OperationId)) broken.Add($"{at}: no operationId");
                else if (!operationIds.Add(operation.OperationId)) broken.Add($"{at}: operationId {operation.OperationId} is used twice");
                if (string.IsNullOrWhiteSpace(operation.Summary)) broken.Add($"{at}: no summary");
                // The generator's fallback tag is the assembly's name: a tag nobody chose.
                if (operation.Tags is not { Count: > 0 } tags || tags.Any(t => t.Name?.StartsWith("VirtualIop.", StringComparison.Ordinal) != false))
                    broken.Add($"{at}: no tag of its own");
                var responses = operation.Responses ?? [];
                if (!responses.Keys.Any(k => k.StartsWith('4'))) broken.Add($"{at}: no 4xx response");
                foreach (var (status, response) in responses.Where(r => r.Key[0] is '4' or '5'))
                {
                    if (response.Content?.ContainsKey("application/problem+json") != true) broken.Add($"{at}: {status} is not problem details");
                }
                if (!responses.ContainsKey("400")) broken.Add($"{at}: no 400");
                if (!responses.ContainsKey("429")) broken.Add($"{at}: no 429");
                if (operation.Security is { Count: > 0 } && !(responses.ContainsKey("401") && responses.ContainsKey("403")))
                    broken.Add($"{at}: protected without 401 and 403");
                if (operation.Parameters?.Any(p => p.In == ParameterLocation.Query && p.Name == "cursor") == true
                    && !(responses.TryGetValue("200", out var page) && page.Headers?.ContainsKey("Link") == true && page.Headers.ContainsKey("X-Next-Cursor")))
                    broken.Add($"{at}: a listing without its paging headers");
            }
        }
        broken.AddRange(NumericEnums(JsonNode.Parse(json)!, "#"));
        Assert.True(broken.Count == 0, "House rules broken:" + Environment.NewLine + string.Join(Environment.NewLine, broken));
        Assert.Contains(ServiceOpenApiScheme, document.Components?.SecuritySchemes?.Keys ?? []);
        Assert.NotNull(document.Components!.SecuritySchemes![ServiceOpenApiScheme].Flows?.ClientCredentials?.TokenUrl);
    }

    [Fact]
    public async Task The_interactive_docs_and_the_document_they_load_need_no_token()
    {
        using var gateway = hosts.Gateway();
        var docs = await gateway.GetAsync("/docs");
        Assert.Equal(HttpStatusCode.OK, docs.StatusCode);
        Assert.Equal("text/html", docs.Content.Headers.ContentType?.MediaType);
        var html = await docs.Content.ReadAsStringAsync();
        // Scalar names its document relative to the site's root.
        var source = Regex.Match(html, "\"sources\":\\[\\{[^}]*\"url\":\"([^\"]+)\"");
        Assert.True(source.Success, html);
        var document = await gateway.GetAsync("/" + source.Groups[1].Value.TrimStart('/'));
        Assert.Equal(HttpStatusCode.OK, document.StatusCode);
        Assert.StartsWith("3.1", JsonNode.Parse(await document.Content.ReadAsStringAsync())!["openapi"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await gateway.GetAsync("/docs/scalar.js")).StatusCode);
    }

    const string ServiceOpenApiScheme = BuildingBlocks.Http.ServiceOpenApi.SecuritySchemeName;

    /// <summary>
    /// "GET /api/scheduling/sessions/{id}" for each partner endpoint: under /api/, with an HTTP method. The FHIR views
    /// (/api/fhir/) are left out on purpose: FHIR clients read their CapabilityStatement, and their errors are
    /// OperationOutcomes rather than the problem details every documented operation promises.
    /// </summary>
    static IEnumerable<string> Mapped(IEnumerable<Endpoint> endpoints) =>
        from endpoint in endpoints.OfType<RouteEndpoint>()
        where endpoint.RoutePattern.RawText?.StartsWith("/api/", StringComparison.Ordinal) == true
              && !endpoint.RoutePattern.RawText.StartsWith("/api/fhir/", StringComparison.Ordinal)
        from method in endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? []
        select $"{method} /{string.Join('/', endpoint.RoutePattern.PathSegments.Select(Segment))}";

    static string Segment(RoutePatternPathSegment segment) => string.Concat(segment.Parts.Select(part => part switch
    {
        RoutePatternLiteralPart literal => literal.Content,
        RoutePatternParameterPart parameter => $"{{{parameter.Name}}}",
        RoutePatternSeparatorPart separator => separator.Content,
        _ => throw new InvalidOperationException($"Unexpected route part {part}"),
    }));

    static HashSet<string> Operations(JsonNode document) =>
        (document["paths"] as JsonObject ?? []).SelectMany(path => (path.Value as JsonObject ?? [])
                .Where(o => o.Key is "get" or "put" or "post" or "delete" or "patch" or "head" or "options")
                .Select(o => $"{o.Key.ToUpperInvariant()} {path.Key.TrimEnd('/')}"))
            .ToHashSet(StringComparer.Ordinal);

    /// <summary>Enums travel as camelCase strings; an enum listing a number would tell partners to send one.</summary>
    static IEnumerable<string> NumericEnums(JsonNode node, string at) => node switch
    {
        JsonObject obj => (obj["enum"] is JsonArray values && values.Any(v => v is JsonValue value && value.GetValueKind() == System.Text.Json.JsonValueKind.Number)
                ? [$"{at}: an enum of numbers"]
                : Enumerable.Empty<string>())
            .Concat(obj.Where(p => p.Value is not null).SelectMany(p => NumericEnums(p.Value!, $"{at}/{p.Key}"))),
        JsonArray array => array.Select((child, i) => (child, i)).Where(c => c.child is not null).SelectMany(c => NumericEnums(c.child!, $"{at}/{c.i}")),
        _ => [],
    };
}
