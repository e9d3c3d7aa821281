using System.Net;
using VirtualIop.Contracts.Scheduling;

namespace VirtualIop.Attendance.IntegrationTests;

[Collection(AttendanceCollection.Name)]
public sealed class TimelineTests(AttendanceService attendance) : IClassFixture<AttendanceService>
{
    [Fact]
    public async Task A_patients_timeline_lists_every_session_with_outcome_reason_notes_and_the_makeup_that_replaced_a_miss()
    {
        var clinicId = Guid.NewGuid();
        var clinic = attendance.ClientFor(clinicId);
        var patient = Guid.NewGuid();
        var first = AttendanceService.NewSession(clinicId, 1) with { PatientIds = [patient] };
        var second = AttendanceService.NewSession(clinicId, first.StartsAt.AddDays(1), 1) with { PatientIds = [patient] };
        await attendance.Schedule(first);
        await attendance.Schedule(second);
        await clinic.RecordAbsence(first.SessionId, new { patientId = patient, outcome = "excusedAbsence", reasonCategory = "illness", notes = "Flu" });
        await attendance.Sweep.RunOnce(second.EndsAt + AttendanceService.NoShowGrace, CancellationToken.None);
        var makeup = new MakeupCompleted(Guid.CreateVersion7(), clinicId, Guid.NewGuid(), second.SessionId, patient, "recording", second.EndsAt.AddHours(3));
        await attendance.Broker.Publish(makeup);
        await attendance.Consumed.WaitFor(makeup.EventId, times: 1);

        var response = await clinic.GetAsync($"/api/attendance/patients/{patient}/timeline");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var entries = (await response.Json()).EnumerateArray().ToList();
        Assert.Equal([(second.SessionId, "noShow"), (first.SessionId, "excusedAbsence")],
            entries.Select(e => (e.GetProperty("sessionId").GetGuid(), e.GetProperty("outcome").GetString())).ToList());
        Assert.Equal(makeup.MakeupId, entries[0].GetProperty("makeupId").GetGuid());
        Assert.Equal(("illness", "Flu"), (entries[1].GetProperty("reasonCategory").GetString(), entries[1].GetProperty("notes").GetString()));
        Assert.Equal(HttpStatusCode.NotFound, (await attendance.ClientFor(Guid.NewGuid()).GetAsync($"/api/attendance/patients/{patient}/timeline")).StatusCode);
    }

    [Fact]
    public async Task Two_makeups_completed_for_one_miss_show_the_earlier_one_whichever_arrives_first()
    {
        var clinicId = Guid.NewGuid();
        var clinic = attendance.ClientFor(clinicId);
        var patient = Guid.NewGuid();
        var session = AttendanceService.NewSession(clinicId, 1) with { PatientIds = [patient] };
        await attendance.Schedule(session);
        await attendance.Sweep.RunOnce(session.EndsAt + AttendanceService.NoShowGrace, CancellationToken.None);
        var earlier = new MakeupCompleted(Guid.CreateVersion7(), clinicId, Guid.NewGuid(), session.SessionId, patient, "recording", session.EndsAt.AddHours(2), 3);
        var later = new MakeupCompleted(Guid.CreateVersion7(), clinicId, Guid.NewGuid(), session.SessionId, patient, "oneOnOne", session.EndsAt.AddDays(2), 3);

        await attendance.Deliver(later);
        await attendance.Deliver(earlier);

        var entry = Assert.Single((await (await clinic.GetAsync($"/api/attendance/patients/{patient}/timeline")).Json()).EnumerateArray());
        Assert.Equal(earlier.MakeupId, entry.GetProperty("makeupId").GetGuid());
    }
}
