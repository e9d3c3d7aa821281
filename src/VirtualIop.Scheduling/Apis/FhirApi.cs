using Hl7.Fhir.Model;
using Microsoft.Extensions.Options;
using VirtualIop.BuildingBlocks.Audit;
using VirtualIop.BuildingBlocks.Auth;
using VirtualIop.Scheduling.Data;
using VirtualIop.Scheduling.Domain.Fhir;
using VirtualIop.Scheduling.Extensions;

namespace VirtualIop.Scheduling.Apis;

/// <summary>
/// Read-only FHIR R4 views of the clinic's sessions, makeups and waitlists at <c>/api/fhir</c>. FHIR clients learn
/// this surface from the CapabilityStatement at <c>/api/fhir/metadata</c>, and its errors are OperationOutcomes, not
/// problem details, so it is left out of the OpenAPI document on purpose.
/// </summary>
public static class FhirApi
{
    public static RouteGroupBuilder MapFhirApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/fhir").RequireAuthorization().ExcludeFromDescription();
        api.MapGet("/metadata", Capabilities).WithName("ReadFhirCapabilities").WithSummary("The FHIR CapabilityStatement of these views");
        api.MapGet("/Appointment/{id}", ReadAppointment).WithName("ReadFhirAppointment")
            .WithSummary("One patient's Appointment for one session").AuditsPatientData("fhir.appointment");
        api.MapGet("/Appointment", SearchAppointments).WithName("SearchFhirAppointments")
            .WithSummary("Appointments by patient, date and status: a searchset Bundle").AuditsPatientData("fhir.appointment");
        api.MapGet("/Encounter/{id}", ReadEncounter).WithName("ReadFhirEncounter")
            .WithSummary("One patient's Encounter for a session they attended").AuditsPatientData("fhir.encounter");
        api.MapGet("/Encounter", SearchEncounters).WithName("SearchFhirEncounters")
            .WithSummary("Encounters by patient and date: a searchset Bundle").AuditsPatientData("fhir.encounter");
        return api;
    }

    /// <summary>When this statement's content last changed; the statement describes the code, not the data.</summary>
    static readonly DateTimeOffset CapabilitiesPublished = new(2026, 12, 6, 0, 0, 0, TimeSpan.Zero);

    static FhirResult Capabilities() => new(FhirCapabilities.Statement(CapabilitiesPublished));

    static async Task<FhirResult> ReadAppointment(string id, ClinicContext clinic, FhirReads reads, CancellationToken ct) =>
        await Find(id, clinic, reads, ct) is { } facts ? new FhirResult(FhirViews.ToAppointment(facts)) : NotFound("Appointment");

    static async Task<FhirResult> ReadEncounter(string id, ClinicContext clinic, FhirReads reads, TimeProvider clock, CancellationToken ct) =>
        await Find(id, clinic, reads, ct) is { } facts && FhirViews.ToEncounter(facts, clock.GetUtcNow()) is { } encounter
            ? new FhirResult(encounter)
            : NotFound("Encounter");

    static Task<FhirResult> SearchAppointments(HttpContext http, ClinicContext clinic, FhirReads reads, TimeProvider clock,
        IOptions<FhirOptions> options, CancellationToken ct) =>
        Search("Appointment", http, clinic, reads, clock, options.Value, query => query, f => FhirViews.ToAppointment(f), ct);

    static Task<FhirResult> SearchEncounters(HttpContext http, ClinicContext clinic, FhirReads reads, TimeProvider clock,
        IOptions<FhirOptions> options, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        return Search("Encounter", http, clinic, reads, clock, options.Value, query => query with { States = [AppointmentState.Attended] },
            f => FhirViews.ToEncounter(f, now)!, ct);
    }

    static async Task<AppointmentFacts?> Find(string id, ClinicContext clinic, FhirReads reads, CancellationToken ct) =>
        FhirIds.TryParse(id, out var ids) ? await reads.Find(clinic.ClinicId, ids.Value.SessionId, ids.Value.PatientId, ct) : null;

    static async Task<FhirResult> Search(string resourceType, HttpContext http, ClinicContext clinic, FhirReads reads, TimeProvider clock,
        FhirOptions options, Func<FhirSearchQuery, FhirSearchQuery> narrow, Func<AppointmentFacts, Resource> view, CancellationToken ct)
    {
        var parameters = http.Request.Query.SelectMany(q => q.Value.Select(v => (q.Key, v ?? ""))).ToList();
        var (parsed, errors) = FhirSearch.Parse(resourceType, parameters);
        if (parsed is null)
        {
            var outcome = new OperationOutcome { Issue = errors.Select(e => FhirViews.Issue(OperationOutcome.IssueType.Invalid, e.Message, e.Parameter)).ToList() };
            return new FhirResult(outcome, StatusCodes.Status400BadRequest);
        }
        var query = narrow(parsed);
        var rows = await reads.Search(clinic.ClinicId, query, ct);
        var page = rows.Take(query.Count).ToList();
        var baseUrl = BaseUrl(http.Request, options);
        var bundle = new Bundle
        {
            Type = Bundle.BundleType.Searchset,
            Timestamp = clock.GetUtcNow(),
            Link = [new Bundle.LinkComponent { Relation = "self", Url = $"{baseUrl}/{resourceType}{http.Request.QueryString}" }],
            Entry = page.Select(f => new Bundle.EntryComponent
            {
                FullUrl = $"{baseUrl}/{resourceType}/{FhirIds.Of(f.SessionId, f.PatientId)}",
                Resource = view(f),
                Search = new Bundle.SearchComponent { Mode = Bundle.SearchEntryMode.Match }
            }).ToList()
        };
        if (rows.Count > query.Count)
        {
            var last = page[^1];
            var next = parameters.Where(p => p.Item1 != FhirSearch.CursorParameter)
                .Select(p => new KeyValuePair<string, string?>(p.Item1, p.Item2))
                .Append(new(FhirSearch.CursorParameter, new FhirCursor(last.StartsAt, last.SessionId, last.PatientId).Encode()));
            bundle.Link.Add(new Bundle.LinkComponent { Relation = "next", Url = $"{baseUrl}/{resourceType}{QueryString.Create(next)}" });
        }
        return new FhirResult(bundle);
    }

    /// <summary>Unknown, malformed and another clinic's ids answer alike, so an answer tells nothing about other clinics.</summary>
    static FhirResult NotFound(string resourceType) =>
        new(FhirViews.Outcome(OperationOutcome.IssueType.NotFound, $"No such {resourceType} in this clinic."), StatusCodes.Status404NotFound);

    static string BaseUrl(HttpRequest request, FhirOptions options) =>
        (options.PublicBaseUrl is { Length: > 0 } configured ? configured.TrimEnd('/') : $"{request.Scheme}://{request.Host}{request.PathBase}") + "/api/fhir";
}
