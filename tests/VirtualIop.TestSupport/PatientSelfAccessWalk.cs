using System.Net;
using System.Text;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using VirtualIop.BuildingBlocks.Auth;
using Xunit;

namespace VirtualIop.TestSupport;

/// <summary>
/// What a patient-scoped token may call, made ready by a test's arrangement for one clinic: the request for the token's
/// own patient (it must succeed) and the same request for another patient of the same clinic (it must answer 404).
/// </summary>
public sealed record PatientCalls(HttpRequestMessage Own, HttpRequestMessage OtherPatient);

/// <summary>
/// Walks a service's endpoints with a patient-scoped token: every endpoint not marked
/// <see cref="PatientSelfAccessExtensions.AllowPatientSelf{TBuilder}"/> (or scoped by handler) refuses it (403), and every
/// marked one serves the patient's own data while answering 404 for another patient of the same clinic.
/// </summary>
public static class PatientSelfAccessWalk
{
    public static bool AllowsPatient(Endpoint endpoint) => endpoint.Metadata.GetMetadata<PatientSelfAccess>() is not null;

    static bool Anonymous(Endpoint endpoint) => endpoint.Metadata.GetMetadata<IAllowAnonymous>() is not null;

    /// <summary>The names of the endpoints a patient may call, for a test that pins the list.</summary>
    public static IReadOnlyList<string> Marked(IEnumerable<RouteEndpoint> routes) =>
        routes.Where(AllowsPatient).Select(PatientDataAudit.Name).Order(StringComparer.Ordinal).ToList();

    /// <summary>Calls every unmarked, authenticated endpoint with <paramref name="patient"/>'s token and fails listing any that did not answer 403.</summary>
    public static async Task RefusedUnlessMarked(IEnumerable<RouteEndpoint> routes, HttpClient patient)
    {
        var walked = 0;
        var failures = new List<string>();
        foreach (var endpoint in routes.Where(e => !AllowsPatient(e) && !Anonymous(e)))
        {
            foreach (var method in endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? [])
            {
                using var request = new HttpRequestMessage(new HttpMethod(method), Path(endpoint.RoutePattern));
                if (method is not ("GET" or "DELETE")) request.Content = new StringContent("{}", Encoding.UTF8, "application/json");
                using var response = await patient.SendAsync(request);
                walked++;
                if (response.StatusCode != HttpStatusCode.Forbidden)
                    failures.Add($"{method} {endpoint.RoutePattern.RawText} ({PatientDataAudit.Name(endpoint)}) answered {(int)response.StatusCode}");
            }
        }
        Assert.True(walked > 0, "No endpoint to walk.");
        Assert.True(failures.Count == 0, "A patient token reached unmarked endpoints:" + Environment.NewLine + string.Join(Environment.NewLine, failures));
    }

    /// <summary>
    /// Calls every marked endpoint, each for a new clinic with two patients: fails listing every endpoint without an
    /// arrangement, whose own request did not succeed, or whose request for the other patient did not answer 404.
    /// </summary>
    public static async Task OwnDataOnly(IEnumerable<RouteEndpoint> routes, Func<Guid, Guid, HttpClient> patientClientFor,
        IReadOnlyDictionary<string, Func<Guid, Guid, Guid, Task<PatientCalls>>> arrange)
    {
        var marked = routes.Where(AllowsPatient).ToList();
        Assert.NotEmpty(marked);
        var failures = new List<string>();
        foreach (var endpoint in marked)
        {
            var name = PatientDataAudit.Name(endpoint);
            if (arrange.GetValueOrDefault(name) is not { } arrangement)
            {
                failures.Add($"{name}: no arrangement walks it");
                continue;
            }
            var (clinicId, own, other) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
            var calls = await arrangement(clinicId, own, other);
            var patient = patientClientFor(clinicId, own);
            using var otherAnswer = await patient.SendAsync(calls.OtherPatient);
            if (otherAnswer.StatusCode != HttpStatusCode.NotFound)
                failures.Add($"{name}: another patient's request answered {(int)otherAnswer.StatusCode} {await otherAnswer.Content.ReadAsStringAsync()}");
            using var ownAnswer = await patient.SendAsync(calls.Own);
            if (!ownAnswer.IsSuccessStatusCode)
                failures.Add($"{name}: the patient's own request answered {(int)ownAnswer.StatusCode} {await ownAnswer.Content.ReadAsStringAsync()}");
        }
        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
    }

    /// <summary>A path matching the pattern: a new id for each guid parameter, a placeholder for the rest.</summary>
    static string Path(RoutePattern pattern) =>
        "/" + string.Join("/", pattern.PathSegments.Select(segment => string.Concat(segment.Parts.Select(part => part switch
        {
            RoutePatternLiteralPart literal => literal.Content,
            RoutePatternSeparatorPart separator => separator.Content,
            RoutePatternParameterPart parameter when parameter.ParameterPolicies.Any(p => p.Content == "guid") => Guid.NewGuid().ToString(),
            _ => "email"
        }))));
}
