using System.Diagnostics;
using Dapper;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Npgsql;
using VirtualIop.BuildingBlocks.Audit;
using Xunit;

namespace VirtualIop.TestSupport;

/// <summary>One row of a service's audit log, as a test compares it.</summary>
public sealed record AuditRow(string ClientId, string Action, string Resource, Guid PatientId, string? TraceId);

/// <summary>
/// The call that exercises one audited endpoint with valid data, made ready by a test's arrangement: the request, the
/// patient whose data it reads or changes, and who the audit row names (a partner token's client id unless the call
/// goes through <paramref name="Via"/>, such as an anonymous calendar app).
/// </summary>
public sealed record AuditedCall(HttpRequestMessage Request, Guid PatientId, HttpClient? Via = null, string ClientId = ServiceUnderTest.TestClientId);

/// <summary>
/// Walks a service's patient-data endpoints. The rule for which routes touch a patient's data: the route names a
/// <c>patientId</c> parameter or runs under a <c>patients</c> segment. Every such route must carry
/// <see cref="AuditedPatientData"/>; other routes that show or change patient data (sessions with rosters, notices,
/// deliveries, makeups, follow-ups) carry it too, and the walk calls every endpoint that carries it.
/// </summary>
public static class PatientDataAudit
{
    public static bool NamesAPatient(RouteEndpoint endpoint) =>
        endpoint.RoutePattern.Parameters.Any(p => p.Name == "patientId")
        || endpoint.RoutePattern.PathSegments.Any(s => s.Parts is [RoutePatternLiteralPart { Content: "patients" }]);

    public static string? Resource(Endpoint endpoint) => endpoint.Metadata.GetMetadata<AuditedPatientData>()?.Resource;

    public static string Name(Endpoint endpoint) => endpoint.Metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName ?? endpoint.DisplayName ?? "?";

    /// <summary>The patient routes of the service that carry no audit metadata, by pattern (empty when the rule holds).</summary>
    public static IReadOnlyList<string> UnauditedPatientRoutes(IEnumerable<RouteEndpoint> routes) =>
        routes.Where(NamesAPatient).Where(e => Resource(e) is null)
            .Select(e => $"{string.Join(",", e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? [])} {e.RoutePattern.RawText}").ToList();

    /// <summary>
    /// Calls every audited endpoint once, each for a new clinic with <paramref name="arrange"/>'s valid data and a
    /// traceparent of a fresh trace, and fails listing every endpoint without an arrangement, with an error answer, or
    /// without an audit row naming the patient, the client, the endpoint's resource, the action and the trace.
    /// </summary>
    public static async Task Walk(IEnumerable<RouteEndpoint> routes, Func<Guid, HttpClient> clientFor, string connectionString,
        IReadOnlyDictionary<string, Func<HttpClient, Guid, Task<AuditedCall>>> arrange)
    {
        var audited = routes.Where(e => Resource(e) is not null).ToList();
        Assert.NotEmpty(audited);
        var failures = new List<string>();
        foreach (var endpoint in audited)
        {
            var name = Name(endpoint);
            var arrangement = arrange.GetValueOrDefault(name)
                ?? (Resource(endpoint) == AuditLog.Resource ? ReadOfTheLog(endpoint.RoutePattern.RawText!, connectionString) : null);
            if (arrangement is null)
            {
                failures.Add($"{name}: no arrangement walks it");
                continue;
            }
            var clinicId = Guid.NewGuid();
            var client = clientFor(clinicId);
            var call = await arrangement(client, clinicId);
            var trace = ActivityTraceId.CreateRandom().ToHexString();
            call.Request.Headers.Add("traceparent", $"00-{trace}-{ActivitySpanId.CreateRandom().ToHexString()}-01");
            var response = await (call.Via ?? client).SendAsync(call.Request);
            if (!response.IsSuccessStatusCode)
            {
                failures.Add($"{name}: answered {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
                continue;
            }
            var expected = new AuditRow(call.ClientId, call.Request.Method == HttpMethod.Get ? "read" : "change", Resource(endpoint)!, call.PatientId, trace);
            var rows = await Rows(connectionString, clinicId);
            if (!rows.Contains(expected)) failures.Add($"{name}: no row {expected}; rows: {string.Join("; ", rows)}");
        }
        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
    }

    /// <summary>
    /// Every service's own audit log (<c>GET /api/{service}/audit</c>) is walked alike: a row about a patient is already
    /// there, and reading it must leave a row of its own about that patient.
    /// </summary>
    static Func<HttpClient, Guid, Task<AuditedCall>> ReadOfTheLog(string path, string connectionString) => async (_, clinicId) =>
    {
        var patient = Guid.NewGuid();
        await using var db = new NpgsqlConnection(connectionString);
        await db.ExecuteAsync("""
            insert into audit_log (clinic_id, client_id, action, resource, patient_id, occurred_at)
            values (@Clinic, 'an-earlier-client', 'read', 'an-earlier-read', @Patient, now())
            """, new { Clinic = clinicId, Patient = patient });
        return new AuditedCall(new HttpRequestMessage(HttpMethod.Get, $"{path}?patientId={patient}"), patient);
    };

    public static async Task<IReadOnlyList<AuditRow>> Rows(string connectionString, Guid clinicId)
    {
        await using var db = new NpgsqlConnection(connectionString);
        return (await db.QueryAsync<AuditRow>("""
            select client_id as "ClientId", action as "Action", resource as "Resource", patient_id as "PatientId", trace_id as "TraceId"
            from audit_log where clinic_id = @Clinic order by occurred_at, id
            """, new { Clinic = clinicId })).AsList();
    }
}
