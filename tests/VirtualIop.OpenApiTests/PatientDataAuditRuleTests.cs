using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Routing;
using VirtualIop.BuildingBlocks.Audit;

namespace VirtualIop.OpenApiTests;

/// <summary>
/// The rule that every endpoint carrying patient data is audited, read from the contract rather than from memory: an
/// operation whose parameters name a patient, or whose request or response schema has a property naming patients
/// (patientId, patientIds, participants, roster …), must carry <see cref="AuditedPatientData"/>, so a new endpoint cannot
/// forget it. The allow-list names the few that carry such a property but no patient's data, each with its reason.
/// </summary>
[Trait("Category", "OpenApi")]
public sealed class PatientDataAuditRuleTests(PartnerApiHosts hosts) : IClassFixture<PartnerApiHosts>
{
    /// <summary>Operations that carry a patient-named property yet show or change no patient's data.</summary>
    static readonly IReadOnlyDictionary<string, string> NotPatientData = new Dictionary<string, string>
    {
        ["CreateCohort"] = "a cohort is created empty: its roster in the answer is always empty, and enrolments are audited",
        ["ReceiveRecordingProgress"] = "a signed webhook acts for no client; the service's own record of each webhook event stands for it",
    };

    static readonly string[] PatientWords = ["patientid", "patientids", "patient", "patients", "participant", "participants", "participantid", "participantids", "roster"];

    [Fact]
    public async Task Every_operation_whose_contract_carries_patient_ids_is_marked_as_auditing_patient_data()
    {
        var unaudited = new List<string>();
        var allowed = new HashSet<string>(StringComparer.Ordinal);
        foreach (var service in hosts.Services)
        {
            using var client = service.Anonymous();
            var document = JsonNode.Parse(await client.GetStringAsync("/openapi/v1.json"))!;
            var endpoints = service.Endpoints.Where(e => e.Metadata.GetMetadata<IEndpointNameMetadata>() is not null)
                .ToDictionary(e => e.Metadata.GetMetadata<IEndpointNameMetadata>()!.EndpointName, StringComparer.Ordinal);
            var carrying = PatientCarryingOperations(document).ToList();
            Assert.NotEmpty(carrying);
            foreach (var (operationId, at, why) in carrying)
            {
                if (NotPatientData.ContainsKey(operationId))
                {
                    allowed.Add(operationId);
                    continue;
                }
                if (!endpoints.TryGetValue(operationId, out var endpoint)) unaudited.Add($"{service.Name}: {at} ({operationId}) has no mapped endpoint of that name");
                else if (endpoint.Metadata.GetMetadata<AuditedPatientData>() is null)
                    unaudited.Add($"{service.Name}: {at} ({operationId}) carries {why} without .AuditsPatientData(…)");
            }
        }
        Assert.True(unaudited.Count == 0, "Patient data without an audit trail:" + Environment.NewLine + string.Join(Environment.NewLine, unaudited));
        // An allow-list entry no operation needs any more would hide the next endpoint that takes its name.
        Assert.Equal(NotPatientData.Keys.Order(StringComparer.Ordinal), allowed.Order(StringComparer.Ordinal));
    }

    /// <summary>Each operation of a service document that names a patient in a parameter or in its request or answer schema.</summary>
    static IEnumerable<(string OperationId, string At, string Why)> PatientCarryingOperations(JsonNode document)
    {
        var schemas = document["components"]?["schemas"] as JsonObject ?? [];
        foreach (var (path, item) in document["paths"] as JsonObject ?? [])
        {
            foreach (var (method, operation) in item as JsonObject ?? [])
            {
                if (operation is not JsonObject op || method is not ("get" or "put" or "post" or "delete" or "patch")) continue;
                var at = $"{method.ToUpperInvariant()} {path}";
                var operationId = op["operationId"]?.GetValue<string>() ?? at;
                var parameter = (op["parameters"] as JsonArray ?? []).Select(p => p?["name"]?.GetValue<string>()).FirstOrDefault(IsPatientWord);
                if (parameter is not null)
                {
                    yield return (operationId, at, $"the parameter {parameter}");
                    continue;
                }
                var bodies = (op["requestBody"]?["content"] as JsonObject ?? []).Select(c => ("request", c.Value?["schema"]))
                    .Concat((op["responses"] as JsonObject ?? []).Where(r => r.Key.StartsWith('2'))
                        .SelectMany(r => (r.Value?["content"] as JsonObject ?? []).Select(c => ($"{r.Key} answer", c.Value?["schema"]))));
                foreach (var (where, schema) in bodies)
                {
                    if (PatientProperty(schema, schemas, []) is { } property)
                    {
                        yield return (operationId, at, $"{property} in its {where}");
                        break;
                    }
                }
            }
        }
    }

    static bool IsPatientWord(string? name) => name is not null && PatientWords.Contains(name.ToLowerInvariant());

    /// <summary>The first property naming patients anywhere in the schema (references, arrays, compositions followed), or null.</summary>
    static string? PatientProperty(JsonNode? schema, JsonObject schemas, HashSet<string> seen)
    {
        if (schema is not JsonObject node) return null;
        if (node["$ref"]?.GetValue<string>() is { } reference)
        {
            var name = reference[(reference.LastIndexOf('/') + 1)..];
            return seen.Add(name) ? PatientProperty(schemas[name], schemas, seen) : null;
        }
        foreach (var (property, value) in node["properties"] as JsonObject ?? [])
        {
            if (IsPatientWord(property)) return property;
            if (PatientProperty(value, schemas, seen) is { } nested) return nested;
        }
        var children = new[] { node["items"], node["additionalProperties"] }
            .Concat(new[] { "allOf", "anyOf", "oneOf" }.SelectMany(k => node[k] as JsonArray ?? []));
        return children.Select(child => PatientProperty(child, schemas, seen)).FirstOrDefault(p => p is not null);
    }
}
