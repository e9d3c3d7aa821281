using System.Net;
using System.Net.Http.Json;
using System.Text;
using VirtualIop.Contracts.Scheduling;

namespace VirtualIop.Scheduling.IntegrationTests;

[Collection(SchedulingCollection.Name)]
public sealed class ProgramsAndCohortsTests(SchedulingService scheduling) : IClassFixture<SchedulingService>
{
    static readonly (string, string)[] Curriculum =
        [("Relapse prevention: triggers", "groupTherapy"), ("Understanding cravings", "educationalModule")];

    [Fact]
    public async Task A_program_keeps_its_curriculum_in_teaching_order()
    {
        var clinic = scheduling.ClientFor(Guid.NewGuid());

        var program = await clinic.CreateProgram(Curriculum);

        var read = await (await clinic.GetAsync($"/api/scheduling/programs/{program.Id()}")).Json();
        var topics = read.GetProperty("topics").EnumerateArray().ToList();
        Assert.Equal(["Relapse prevention: triggers", "Understanding cravings"], topics.Select(t => t.GetProperty("title").GetString()));
        Assert.Equal(["groupTherapy", "educationalModule"], topics.Select(t => t.GetProperty("kind").GetString()));
        Assert.Equal([1, 2], topics.Select(t => t.GetProperty("position").GetInt32()));
    }

    [Fact]
    public async Task Creating_a_program_announces_it_to_the_other_services()
    {
        var clinicId = Guid.NewGuid();

        var program = await scheduling.ClientFor(clinicId).CreateProgram(Curriculum);

        var created = Assert.Single(await scheduling.Broker.WaitFor<ProgramCreated>(e => e.ClinicId == clinicId, 1));
        Assert.Equal(program.Id(), created.ProgramId);
    }

    [Fact]
    public async Task The_migration_announces_the_programs_created_before_ProgramCreated_existed()
    {
        var (clinicId, programId) = (Guid.NewGuid(), Guid.NewGuid());
        var createdAt = new DateTimeOffset(2025, 3, 4, 5, 6, 7, TimeSpan.Zero);
        await scheduling.Execute("insert into program (clinic_id, id, name, created_at) values (@Clinic, @Id, 'Evening IOP', @At)",
            new { Clinic = clinicId, Id = programId, At = createdAt });
        var assembly = typeof(VirtualIop.Scheduling.Data.Programs).Assembly;
        var script = assembly.GetManifestResourceNames().Single(n => n.EndsWith("_program_created_for_existing_programs.sql", StringComparison.Ordinal));
        using var reader = new StreamReader(assembly.GetManifestResourceStream(script)!);

        await scheduling.Execute(await reader.ReadToEndAsync());

        var created = Assert.Single(await scheduling.Broker.WaitFor<ProgramCreated>(e => e.ClinicId == clinicId, 1));
        Assert.Equal((programId, createdAt), (created.ProgramId, created.CreatedAt));
    }

    [Fact]
    public async Task A_cohort_is_created_in_a_program_and_enrolled_patients_form_its_roster()
    {
        var clinic = scheduling.ClientFor(Guid.NewGuid());
        var program = await clinic.CreateProgram(Curriculum);
        var facilitator = Guid.NewGuid();
        var cohort = await clinic.CreateCohort(program.Id(), capacity: 3, timeZone: "America/Chicago", facilitator: facilitator);
        var patients = new[] { Guid.NewGuid(), Guid.NewGuid() };

        foreach (var patient in patients) await clinic.Enrol(cohort.Id(), patient).Created();

        var read = await (await clinic.GetAsync($"/api/scheduling/cohorts/{cohort.Id()}")).Json();
        Assert.Equal(patients, read.Roster());
        Assert.Equal(facilitator, read.GetProperty("facilitatorClinicianId").GetGuid());
        Assert.Equal("America/Chicago", read.GetProperty("timeZone").GetString());
        Assert.Equal(3, read.GetProperty("capacity").GetInt32());
    }

    [Fact]
    public async Task Enrolling_a_patient_twice_in_a_program_is_refused_with_409_and_nothing_is_written()
    {
        var clinicId = Guid.NewGuid();
        var clinic = scheduling.ClientFor(clinicId);
        var program = await clinic.CreateProgram(Curriculum);
        var first = await clinic.CreateCohort(program.Id());
        var second = await clinic.CreateCohort(program.Id());
        var patient = Guid.NewGuid();
        await clinic.Enrol(first.Id(), patient).Created();

        await (await clinic.Enrol(first.Id(), patient)).AssertProblem(HttpStatusCode.Conflict);
        await (await clinic.Enrol(second.Id(), patient)).AssertProblem(HttpStatusCode.Conflict);

        Assert.Equal((1, 2, 1), await scheduling.ProgramRowsFor(clinicId));
    }

    [Fact]
    public async Task A_full_cohort_refuses_another_patient_even_when_they_enrol_at_the_same_moment()
    {
        var clinic = scheduling.ClientFor(Guid.NewGuid());
        var program = await clinic.CreateProgram(Curriculum);
        var cohort = await clinic.CreateCohort(program.Id(), capacity: 3);

        var answers = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => clinic.Enrol(cohort.Id(), Guid.NewGuid())));

        Assert.Equal(3, answers.Count(a => a.StatusCode == HttpStatusCode.Created));
        Assert.Equal(5, answers.Count(a => a.StatusCode == HttpStatusCode.Conflict));
        var read = await (await clinic.GetAsync($"/api/scheduling/cohorts/{cohort.Id()}")).Json();
        Assert.Equal(3, read.Roster().Length);
    }

    [Fact]
    public async Task A_discharged_patient_leaves_the_roster_and_a_seat_frees()
    {
        var clinic = scheduling.ClientFor(Guid.NewGuid());
        var program = await clinic.CreateProgram(Curriculum);
        var cohort = await clinic.CreateCohort(program.Id(), capacity: 1);
        var patient = Guid.NewGuid();
        await clinic.Enrol(cohort.Id(), patient).Created();

        Assert.Equal(HttpStatusCode.NoContent, (await clinic.DeleteAsync($"/api/scheduling/cohorts/{cohort.Id()}/enrolments/{patient}")).StatusCode);

        Assert.Equal(HttpStatusCode.NotFound, (await clinic.DeleteAsync($"/api/scheduling/cohorts/{cohort.Id()}/enrolments/{patient}")).StatusCode);
        var next = Guid.NewGuid();
        await clinic.Enrol(cohort.Id(), next).Created();
        Assert.Equal([next], (await (await clinic.GetAsync($"/api/scheduling/cohorts/{cohort.Id()}")).Json()).Roster());
    }

    [Fact]
    public async Task A_transfer_moves_the_patient_between_cohorts_of_the_same_program_only()
    {
        var clinic = scheduling.ClientFor(Guid.NewGuid());
        var program = await clinic.CreateProgram(Curriculum);
        var from = await clinic.CreateCohort(program.Id());
        var to = await clinic.CreateCohort(program.Id());
        var elsewhere = await clinic.CreateCohort((await clinic.CreateProgram(Curriculum)).Id());
        var patient = Guid.NewGuid();
        await clinic.Enrol(from.Id(), patient).Created();

        await (await clinic.PostAsJsonAsync($"/api/scheduling/cohorts/{from.Id()}/enrolments/{patient}/transfer", new { toCohortId = elsewhere.Id() }))
            .AssertValidationProblem("toCohortId");
        await clinic.PostAsJsonAsync($"/api/scheduling/cohorts/{from.Id()}/enrolments/{patient}/transfer", new { toCohortId = to.Id() }).Created();

        Assert.Empty((await (await clinic.GetAsync($"/api/scheduling/cohorts/{from.Id()}")).Json()).Roster());
        Assert.Equal([patient], (await (await clinic.GetAsync($"/api/scheduling/cohorts/{to.Id()}")).Json()).Roster());
    }

    [Fact]
    public async Task Capacity_cannot_drop_below_the_current_roster()
    {
        var clinic = scheduling.ClientFor(Guid.NewGuid());
        var program = await clinic.CreateProgram(Curriculum);
        var cohort = await clinic.CreateCohort(program.Id(), capacity: 5);
        await clinic.Enrol(cohort.Id(), Guid.NewGuid()).Created();
        await clinic.Enrol(cohort.Id(), Guid.NewGuid()).Created();

        await (await clinic.PutAsJsonAsync($"/api/scheduling/cohorts/{cohort.Id()}/capacity", new { capacity = 1 })).AssertValidationProblem("capacity");
        Assert.Equal(5, (await (await clinic.GetAsync($"/api/scheduling/cohorts/{cohort.Id()}")).Json()).GetProperty("capacity").GetInt32());

        var lowered = await clinic.PutAsJsonAsync($"/api/scheduling/cohorts/{cohort.Id()}/capacity", new { capacity = 2 });
        Assert.Equal(HttpStatusCode.OK, lowered.StatusCode);
        Assert.Equal(2, (await lowered.Json()).GetProperty("capacity").GetInt32());
    }

    public static TheoryData<string, string> InvalidCohorts => new()
    {
        { """{"name":"A","facilitatorClinicianId":"6f1c3f8e-8d4a-4a57-9d8a-2b7e4c1d9a01","capacity":8,"timeZone":"Mars/Olympus_Mons"}""", "timeZone" },
        { """{"name":"A","facilitatorClinicianId":"6f1c3f8e-8d4a-4a57-9d8a-2b7e4c1d9a01","capacity":0,"timeZone":"America/New_York"}""", "capacity" },
        { """{"name":"","facilitatorClinicianId":"6f1c3f8e-8d4a-4a57-9d8a-2b7e4c1d9a01","capacity":8,"timeZone":"America/New_York"}""", "name" },
        { """{"name":"A","capacity":8,"timeZone":"America/New_York"}""", "facilitatorClinicianId" },
    };

    [Theory]
    [MemberData(nameof(InvalidCohorts))]
    public async Task A_bad_cohort_is_refused_with_400_naming_the_field_and_nothing_is_written(string body, string field)
    {
        var clinicId = Guid.NewGuid();
        var clinic = scheduling.ClientFor(clinicId);
        var program = await clinic.CreateProgram(Curriculum);
        var withProgram = body.Replace("{", $$"""{"programId":"{{program.Id()}}",""");

        await (await clinic.PostAsync("/api/scheduling/cohorts", new StringContent(withProgram, Encoding.UTF8, "application/json")))
            .AssertValidationProblem(field);

        Assert.Equal((1, 0, 0), await scheduling.ProgramRowsFor(clinicId));
    }

    [Fact]
    public async Task A_program_without_topics_is_refused_naming_topics()
    {
        var clinicId = Guid.NewGuid();

        var response = await scheduling.ClientFor(clinicId).PostAsJsonAsync("/api/scheduling/programs", new { name = "IOP", topics = Array.Empty<object>() });

        await response.AssertValidationProblem("topics");
        Assert.Equal((0, 0, 0), await scheduling.ProgramRowsFor(clinicId));
    }

    [Fact]
    public async Task Another_clinic_gets_404_for_programs_cohorts_and_enrolments_it_does_not_own()
    {
        var clinicA = scheduling.ClientFor(Guid.NewGuid());
        var clinicBId = Guid.NewGuid();
        var clinicB = scheduling.ClientFor(clinicBId);
        var program = await clinicA.CreateProgram(Curriculum);
        var cohort = await clinicA.CreateCohort(program.Id());
        var patient = Guid.NewGuid();
        await clinicA.Enrol(cohort.Id(), patient).Created();

        await (await clinicB.GetAsync($"/api/scheduling/programs/{program.Id()}")).AssertProblem(HttpStatusCode.NotFound);
        await (await clinicB.GetAsync($"/api/scheduling/cohorts/{cohort.Id()}")).AssertProblem(HttpStatusCode.NotFound);
        await (await clinicB.Enrol(cohort.Id(), Guid.NewGuid())).AssertProblem(HttpStatusCode.NotFound);
        await (await clinicB.DeleteAsync($"/api/scheduling/cohorts/{cohort.Id()}/enrolments/{patient}")).AssertProblem(HttpStatusCode.NotFound);
        await (await clinicB.PostAsJsonAsync("/api/scheduling/cohorts", new
        {
            programId = program.Id(), name = "B", facilitatorClinicianId = Guid.NewGuid(), capacity = 5, timeZone = "America/New_York"
        })).AssertProblem(HttpStatusCode.NotFound);
        Assert.Equal((0, 0, 0), await scheduling.ProgramRowsFor(clinicBId));
        Assert.Equal([patient], (await (await clinicA.GetAsync($"/api/scheduling/cohorts/{cohort.Id()}")).Json()).Roster());
    }

    [Fact]
    public async Task Programs_and_cohorts_need_a_token()
    {
        var anonymous = scheduling.AnonymousClient();

        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync($"/api/scheduling/programs/{Guid.NewGuid()}")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.Enrol(Guid.NewGuid(), Guid.NewGuid())).StatusCode);
    }
}
