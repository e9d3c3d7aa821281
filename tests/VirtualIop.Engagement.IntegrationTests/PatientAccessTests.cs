using System.Net;
using System.Net.Http.Json;
using VirtualIop.BuildingBlocks.Auth;
using VirtualIop.TestSupport;

namespace VirtualIop.Engagement.IntegrationTests;

/// <summary>
/// What a patient's own token reaches in Engagement: the catch-up package of a session they missed, and marking its
/// items (homework done); never another patient's, nor any staff endpoint. Pattern settings take an admin or coordinator.
/// </summary>
[Collection(EngagementCollection.Name)]
public sealed class PatientAccessTests(EngagementService engagement, RabbitMqBroker rabbitMq) : EngagementTests(engagement, rabbitMq)
{
    static readonly string[] OpenToPatients = ["GetPatientContinuity", "ReportContinuityItem"];

    [Fact]
    public async Task A_patient_token_reaches_only_the_endpoints_opened_to_patients_and_is_refused_everywhere_else()
    {
        Assert.Equal(OpenToPatients, PatientSelfAccessWalk.Marked(service.Routes));
        await PatientSelfAccessWalk.RefusedUnlessMarked(service.Routes, service.PatientClientFor(Guid.NewGuid(), Guid.NewGuid()));
    }

    [Fact]
    public Task Each_endpoint_open_to_patients_serves_the_patients_own_data_and_answers_404_for_another_patient_of_the_clinic() =>
        PatientSelfAccessWalk.OwnDataOnly(service.Routes, service.PatientClientFor, new Dictionary<string, Func<Guid, Guid, Guid, Task<PatientCalls>>>
        {
            ["GetPatientContinuity"] = async (clinicId, own, other) =>
            {
                await Packages(clinicId, own, other);
                return new(Get($"/api/engagement/patients/{own}/continuity"), Get($"/api/engagement/patients/{other}/continuity"));
            },
            ["ReportContinuityItem"] = async (clinicId, own, other) =>
            {
                var (mine, theirs) = await Packages(clinicId, own, other);
                return new(Post($"/api/engagement/patients/{own}/continuity/{mine}/items/homework", new { state = "done" }),
                    Post($"/api/engagement/patients/{other}/continuity/{theirs}/items/homework", new { state = "done" }));
            }
        });

    [Fact]
    public async Task A_patient_marks_their_own_homework_done_but_not_through_their_route_on_another_patients_package()
    {
        var (clinicId, own, other) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        var (mine, theirs) = await Packages(clinicId, own, other);
        var patient = service.PatientClientFor(clinicId, own);

        var done = await patient.PostAsJsonAsync($"/api/engagement/patients/{own}/continuity/{mine}/items/homework", new { state = "done" });
        var smuggled = await patient.PostAsJsonAsync($"/api/engagement/patients/{own}/continuity/{theirs}/items/homework", new { state = "done" });

        Assert.Equal(HttpStatusCode.OK, done.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, smuggled.StatusCode);
        var continuity = await service.WaitForContinuity(clinicId, own, v => v.Packages.Count == 1, "the package");
        Assert.Contains(continuity.Packages[0].Items, i => i.Kind == "homework" && i.DoneAt is not null);
        var untouched = await service.WaitForContinuity(clinicId, other, v => v.Packages.Count == 1, "the other package");
        Assert.DoesNotContain(untouched.Packages[0].Items, i => i.DoneAt is not null);
    }

    [Fact]
    public async Task Only_an_admin_among_staff_reads_the_audit_log_and_only_an_admin_or_coordinator_sets_pattern_settings_while_partner_systems_pass()
    {
        var (clinicId, program) = (Guid.NewGuid(), Guid.NewGuid());
        await service.Broker.Publish(Scheduled(clinicId, program, Guid.NewGuid(), null, -2, Guid.NewGuid()));
        var path = $"/api/engagement/programs/{program}/pattern-settings";
        await Eventually.Until(() => service.ClientFor(clinicId).GetAsync(path), r => r.StatusCode == HttpStatusCode.OK, $"program {program} known");
        var settings = new { consecutiveMisses = 3, consecutiveMissesHigh = 4 };

        Assert.Equal(HttpStatusCode.Forbidden, (await service.StaffClientFor(clinicId, StaffRoles.Clinician).GetAsync("/api/engagement/audit")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await service.StaffClientFor(clinicId, StaffRoles.Admin).GetAsync("/api/engagement/audit")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await service.ClientFor(clinicId).GetAsync("/api/engagement/audit")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await service.StaffClientFor(clinicId, StaffRoles.Clinician).PutAsJsonAsync(path, settings)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await service.StaffClientFor(clinicId, StaffRoles.Coordinator).PutAsJsonAsync(path, settings)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await service.ClientFor(clinicId).PutAsJsonAsync(path, settings)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await service.StaffClientFor(clinicId, StaffRoles.Clinician).GetAsync(path)).StatusCode);
    }

    /// <summary>Both patients missed one session whose content (with homework) was recorded first: a package each.</summary>
    async Task<(Guid Own, Guid Other)> Packages(Guid clinicId, Guid own, Guid other)
    {
        var session = Guid.NewGuid();
        await service.KnowSession(clinicId, session);
        (await service.ClientFor(clinicId).PutAsJsonAsync($"/api/engagement/sessions/{session}/content", new
        {
            keyPoints = new[] { "Grounding" },
            homework = new { title = "Urge surfing log", instructions = "Note each urge and how long it lasted.", dueOn = DateTime.UtcNow.AddDays(7).ToString("yyyy-MM-dd") }
        })).EnsureSuccessStatusCode();
        foreach (var patient in new[] { own, other }) await service.Broker.Publish(Missed(clinicId, patient, 0.1, session));
        return ((await service.WaitForContinuity(clinicId, own, v => v.Packages.Count == 1, "a package")).Packages[0].Id,
            (await service.WaitForContinuity(clinicId, other, v => v.Packages.Count == 1, "a package")).Packages[0].Id);
    }

    static HttpRequestMessage Get(string path) => new(HttpMethod.Get, path);

    static HttpRequestMessage Post(string path, object body) => new(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
}
