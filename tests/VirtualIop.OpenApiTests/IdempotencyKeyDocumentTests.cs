using Microsoft.OpenApi;
using Microsoft.OpenApi.Reader;

namespace VirtualIop.OpenApiTests;

/// <summary>Partners learn from the document which calls are safe to retry: every creating POST takes an Idempotency-Key.</summary>
[Trait("Category", "OpenApi")]
public sealed class IdempotencyKeyDocumentTests(PartnerApiHosts hosts) : IClassFixture<PartnerApiHosts>
{
    [Fact]
    public async Task Every_operation_that_creates_takes_an_idempotency_key_and_documents_its_422()
    {
        using var gateway = hosts.Gateway();
        var document = OpenApiDocument.Parse(await gateway.GetStringAsync("/openapi/v1.json"), OpenApiConstants.Json, new OpenApiReaderSettings()).Document!;
        var creating = document.Paths.SelectMany(p => (p.Value.Operations ?? []).Select(o => (At: $"{o.Key.Method} {p.Key}", Operation: o.Value)))
            .Where(o => o.Operation.Responses?.ContainsKey("201") == true).ToList();
        Assert.NotEmpty(creating);
        var undocumented = creating.Where(o =>
                o.Operation.Parameters?.Any(p => p.In == ParameterLocation.Header && p.Name == "Idempotency-Key" && p.Required != true) != true
                || o.Operation.Responses?.ContainsKey("422") != true)
            .Select(o => o.At).ToList();
        Assert.True(undocumented.Count == 0, "Creating without a documented Idempotency-Key: " + string.Join(", ", undocumented));
    }
}
