using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using VirtualIop.Contracts.Attendance;
using VirtualIop.Contracts.Scheduling;

namespace VirtualIop.Scheduling.IntegrationTests;

[Collection(SchedulingCollection.Name)]
public sealed class OneOnOneMakeupTests(SchedulingService scheduling) : IClassFixture<SchedulingService>
{
    static TimeSpan Local(DateTimeOffset instant) => TimeZoneInfo.ConvertTime(instant, MakeupScenario.NewYork).TimeOfDay;

    static (DateTimeOffset Start, DateTimeOffset End) Slot(JsonElement slot) =>
        (slot.GetProperty("startsAt").GetDateTimeOffset(), slot.GetProperty("endsAt").GetDateTimeOffset());

    [Fact]
    public async Task Proposed_slots_lie_in_the_patients_preferred_hours_and_the_clinicians_hours_and_avoid_both_sides_sessions()
    {
        var scenario = await MakeupScenario.Start(scheduling);
        Assert.Equal(HttpStatusCode.OK, (await scenario.SetAvailability(scenario.Facilitator, "09:00", "22:00")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await scenario.SetPreferredHours(scenario.Patients[0], "16:00", "20:00")).StatusCode);
        var makeup = await scenario.Miss(scenario.Sessions[0], scenario.Patients[0]);

        var slots = (await (await scenario.Clinic.GetAsync($"/api/scheduling/makeups/{makeup.Id()}/slots?count=20")).Json()).EnumerateArray().ToList();

        Assert.Equal(20, slots.Count);
        var group = scenario.Sessions.Select(s => (s.GetProperty("startsAt").GetDateTimeOffset(), s.GetProperty("endsAt").GetDateTimeOffset())).ToList();
        Assert.All(slots, slot =>
        {
            var (start, end) = Slot(slot);
            Assert.Equal(scenario.Facilitator, slot.GetProperty("clinicianId").GetGuid());
            Assert.Equal(TimeSpan.FromMinutes(50), end - start);
            Assert.InRange(Local(start), TimeSpan.FromHours(16), TimeSpan.FromHours(19));
            Assert.InRange(Local(end), TimeSpan.FromHours(16), TimeSpan.FromHours(20));
            Assert.DoesNotContain(group, g => g.Item1 < end && start < g.Item2);
            Assert.True(start > DateTimeOffset.UtcNow.AddMinutes(59));
        });
        Assert.Equal(slots.Select(s => Slot(s).Start).Order(), slots.Select(s => Slot(s).Start));
    }

    [Fact]
    public async Task Booking_a_proposed_slot_schedules_a_makeup_session_announces_it_and_completes_when_the_patient_attends()
    {
        var scenario = await MakeupScenario.Start(scheduling);
        await scenario.SetAvailability(scenario.Facilitator, "09:00", "22:00");
        var patient = scenario.Patients[0];
        var makeup = await scenario.Miss(scenario.Sessions[0], patient);
        var slot = (await (await scenario.Clinic.GetAsync($"/api/scheduling/makeups/{makeup.Id()}/slots")).Json())[0];

        var booked = await scenario.Clinic.PostAsJsonAsync($"/api/scheduling/makeups/{makeup.Id()}/book",
            new { clinicianId = slot.GetProperty("clinicianId").GetGuid(), startsAt = slot.GetProperty("startsAt").GetDateTimeOffset() }).Created();

        Assert.Equal(("booked", "oneOnOne"), (booked.GetProperty("status").GetString(), booked.GetProperty("kind").GetString()));
        var sessionId = booked.GetProperty("sessionId").GetGuid();
        var session = await (await scenario.Clinic.GetAsync($"/api/scheduling/sessions/{sessionId}")).Json();
        Assert.Equal("makeup", session.GetProperty("kind").GetString());
        Assert.Equal(slot.GetProperty("startsAt").GetDateTimeOffset(), session.GetProperty("startsAt").GetDateTimeOffset());
        var scheduled = Assert.Single(await scheduling.Broker.WaitFor<SessionScheduled>(e => e.SessionId == sessionId, 1));
        Assert.Equal(("makeup", (Guid?)scenario.Facilitator), (scheduled.Kind, scheduled.ClinicianId));
        Assert.Equal([patient], scheduled.PatientIds);
        Assert.Equal(scenario.Program.Id(), scheduled.ProgramId);
        var announced = Assert.Single(await scheduling.Broker.WaitFor<MakeupBooked>(e => e.MakeupId == makeup.Id(), 1));
        Assert.Equal((scenario.Sessions[0].Id(), "oneOnOne", (Guid?)sessionId), (announced.MissedSessionId, announced.Kind, announced.SessionId));

        await (await scenario.Clinic.PostAsJsonAsync($"/api/scheduling/makeups/{makeup.Id()}/book",
            new { clinicianId = scenario.Facilitator, startsAt = slot.GetProperty("startsAt").GetDateTimeOffset().AddDays(1) }))
            .AssertProblem(HttpStatusCode.Conflict);

        var attended = new SessionAttended(Guid.NewGuid(), scenario.ClinicId, sessionId, patient, DateTimeOffset.UtcNow);
        await scheduling.Broker.Publish(attended);
        await scheduling.Broker.Publish(attended);
        var completed = Assert.Single(await scheduling.Broker.WaitFor<MakeupCompleted>(e => e.MakeupId == makeup.Id(), 1));
        Assert.Equal(("oneOnOne", scenario.Sessions[0].Id(), patient), (completed.Kind, completed.MissedSessionId, completed.PatientId));
        await scheduling.Consumed.WaitFor(attended.EventId, 2);
        Assert.Equal("completed", (await scenario.Makeup(makeup.Id())).GetProperty("status").GetString());
        Assert.Single(scheduling.Broker.Received<MakeupCompleted>(e => e.MakeupId == makeup.Id()));
    }

    [Fact]
    public async Task Two_patients_booking_the_same_clinician_slot_at_once_get_one_201_and_one_409_and_the_loser_stays_offered()
    {
        var scenario = await MakeupScenario.Start(scheduling, patients: 2);
        await scenario.SetAvailability(scenario.Facilitator, "09:00", "22:00");
        var first = await scenario.Miss(scenario.Sessions[0], scenario.Patients[0]);
        var second = await scenario.Miss(scenario.Sessions[0], scenario.Patients[1]);
        var slot = (await (await scenario.Clinic.GetAsync($"/api/scheduling/makeups/{first.Id()}/slots")).Json())[0];
        var body = new { clinicianId = scenario.Facilitator, startsAt = slot.GetProperty("startsAt").GetDateTimeOffset() };

        var answers = await Task.WhenAll(
            scenario.Clinic.PostAsJsonAsync($"/api/scheduling/makeups/{first.Id()}/book", body),
            scenario.Clinic.PostAsJsonAsync($"/api/scheduling/makeups/{second.Id()}/book", body));

        Assert.Equal([HttpStatusCode.Created, HttpStatusCode.Conflict], answers.Select(a => a.StatusCode).Order());
        await answers.Single(a => a.StatusCode == HttpStatusCode.Conflict).AssertProblem(HttpStatusCode.Conflict);
        var statuses = new[] { first, second }.Select(m => scenario.Makeup(m.Id()));
        Assert.Equal(["booked", "offered"], (await Task.WhenAll(statuses)).Select(m => m.GetProperty("status").GetString()).Order());
        Assert.Equal(1, (await scheduling.MakeupRowsFor(scenario.ClinicId)).Bookings);
    }

    [Fact]
    public async Task A_slot_in_the_past_outside_the_patients_hours_or_with_a_clinician_outside_the_program_is_refused_naming_the_field()
    {
        var scenario = await MakeupScenario.Start(scheduling);
        await scenario.SetAvailability(scenario.Facilitator, "09:00", "22:00");
        await scenario.SetPreferredHours(scenario.Patients[0], "16:00", "20:00");
        var makeup = await scenario.Miss(scenario.Sessions[0], scenario.Patients[0]);
        var slot = (await (await scenario.Clinic.GetAsync($"/api/scheduling/makeups/{makeup.Id()}/slots")).Json())[0];
        var inHours = slot.GetProperty("startsAt").GetDateTimeOffset();
        var url = $"/api/scheduling/makeups/{makeup.Id()}/book";

        await (await scenario.Clinic.PostAsJsonAsync(url, new { clinicianId = scenario.Facilitator, startsAt = DateTimeOffset.UtcNow.AddHours(-1) }))
            .AssertValidationProblem("startsAt");
        await (await scenario.Clinic.PostAsJsonAsync(url, new { clinicianId = scenario.Facilitator, startsAt = inHours.AddHours(-5) }))
            .AssertValidationProblem("startsAt");
        await (await scenario.Clinic.PostAsJsonAsync(url, new { clinicianId = Guid.NewGuid(), startsAt = inHours }))
            .AssertValidationProblem("clinicianId");
        await (await scenario.Clinic.PostAsync(url, new StringContent("""{"clinicianId":"x"}""", Encoding.UTF8, "application/json")))
            .AssertValidationProblem("clinicianId");
        await (await scenario.Clinic.GetAsync($"/api/scheduling/makeups/{makeup.Id()}/slots?count=500")).AssertValidationProblem("count");
        await (await scenario.Clinic.PostAsJsonAsync($"/api/scheduling/makeups/{Guid.NewGuid()}/book", new { clinicianId = scenario.Facilitator, startsAt = inHours }))
            .AssertProblem(HttpStatusCode.NotFound);

        Assert.Equal("offered", (await scenario.Makeup(makeup.Id())).GetProperty("status").GetString());
        Assert.Equal(0, (await scheduling.MakeupRowsFor(scenario.ClinicId)).Bookings);
    }

    [Fact]
    public async Task Bad_preferred_hours_are_refused_naming_the_field()
    {
        var clinic = scheduling.ClientFor(Guid.NewGuid());
        var patient = Guid.NewGuid();

        await (await clinic.PutAsJsonAsync($"/api/scheduling/patients/{patient}/preferred-hours", new { timeZone = "America/New_York", weeklyHours = Array.Empty<object>() }))
            .AssertValidationProblem("weeklyHours");
        await (await clinic.PutAsJsonAsync($"/api/scheduling/patients/{patient}/preferred-hours",
            new { timeZone = "Mars/Olympus", weeklyHours = new[] { new { day = "monday", from = "18:00", to = "20:00" } } })).AssertValidationProblem("timeZone");
        await (await clinic.GetAsync($"/api/scheduling/patients/{patient}/preferred-hours")).AssertProblem(HttpStatusCode.NotFound);
    }
}
