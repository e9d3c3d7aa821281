using System.Net;
using System.Net.Http.Json;
using System.Text;
using VirtualIop.Contracts.Attendance;
using VirtualIop.TestSupport;

namespace VirtualIop.Attendance.IntegrationTests;

[Collection(AttendanceCollection.Name)]
public sealed class CheckInTests(AttendanceService attendance) : IClassFixture<AttendanceService>
{
    [Fact]
    public async Task Checking_in_makes_the_patient_present_and_announces_SessionAttended_once()
    {
        var clinicId = Guid.NewGuid();
        var session = AttendanceService.NewSession(clinicId, patients: 2);
        var clinic = attendance.ClientFor(clinicId);
        var patient = session.PatientIds[1];
        await attendance.Schedule(session);

        var first = await clinic.CheckIn(session.SessionId, patient);
        var again = await clinic.CheckIn(session.SessionId, patient);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var record = await first.Json();
        Assert.Equal(patient, record.GetProperty("patientId").GetGuid());
        Assert.Equal("present", record.GetProperty("outcome").GetString());
        var checkedInAt = record.GetProperty("checkedInAt").GetDateTimeOffset();
        Assert.Equal(checkedInAt, record.GetProperty("decidedAt").GetDateTimeOffset());
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(checkedInAt, (await again.Json()).GetProperty("checkedInAt").GetDateTimeOffset());
        Assert.Equal([(session.PatientIds[0], "pending"), (patient, "present")], await clinic.Outcomes(session.SessionId));

        var attended = Assert.Single(await attendance.Broker.WaitFor<SessionAttended>(e => e.SessionId == session.SessionId, 1));
        Assert.Equal((clinicId, patient), (attended.ClinicId, attended.PatientId));
        Assert.Equal(checkedInAt, attended.CheckedInAt);
        await Eventually.Until(attendance.UnsentOutboxRows, n => n == 0, "the outbox to drain");
        Assert.Single(attendance.Broker.Received<SessionAttended>(e => e.SessionId == session.SessionId));
    }

    [Fact]
    public async Task Checking_in_a_patient_who_is_not_expected_is_refused_naming_patientId_and_changes_nothing()
    {
        var clinicId = Guid.NewGuid();
        var session = AttendanceService.NewSession(clinicId, patients: 1);
        var clinic = attendance.ClientFor(clinicId);
        await attendance.Schedule(session);

        var stranger = await clinic.CheckIn(session.SessionId, Guid.NewGuid());
        var missing = await clinic.PostAsync($"/api/attendance/sessions/{session.SessionId}/check-ins",
            new StringContent("{}", Encoding.UTF8, "application/json"));
        var malformed = await clinic.PostAsync($"/api/attendance/sessions/{session.SessionId}/check-ins",
            new StringContent("""{"patientId":"someone"}""", Encoding.UTF8, "application/json"));

        foreach (var response in new[] { stranger, missing, malformed })
        {
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.True((await response.Json()).GetProperty("errors").TryGetProperty("patientId", out _));
        }
        Assert.Equal([(session.PatientIds[0], "pending")], await clinic.Outcomes(session.SessionId));
        Assert.Equal(1, await attendance.AttendanceRows(clinicId));
    }

    [Fact]
    public async Task Another_clinic_gets_404_for_the_session_and_its_check_in_is_held_for_its_own_session_never_this_one()
    {
        var clinicId = Guid.NewGuid();
        var session = AttendanceService.NewSession(clinicId, patients: 1);
        await attendance.Schedule(session);
        var otherClinicId = Guid.NewGuid();
        var otherClinic = attendance.ClientFor(otherClinicId);

        Assert.Equal(HttpStatusCode.NotFound, (await otherClinic.GetAttendance(session.SessionId)).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await otherClinic.CheckIn(session.SessionId, session.PatientIds[0])).StatusCode);
        Assert.Equal([(session.PatientIds[0], "pending")], await attendance.ClientFor(clinicId).Outcomes(session.SessionId));
        Assert.Equal(1, await attendance.PendingPresenceRows(otherClinicId));
    }

    [Fact]
    public async Task Calls_without_a_token_get_401()
    {
        var anonymous = attendance.AnonymousClient();

        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAttendance(Guid.NewGuid())).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized,
            (await anonymous.PostAsJsonAsync($"/api/attendance/sessions/{Guid.NewGuid()}/check-ins", new { patientId = Guid.NewGuid() })).StatusCode);
    }
}
