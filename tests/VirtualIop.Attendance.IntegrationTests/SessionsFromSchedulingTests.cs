using System.Net;
using VirtualIop.TestSupport;

namespace VirtualIop.Attendance.IntegrationTests;

[Collection(AttendanceCollection.Name)]
public sealed class SessionsFromSchedulingTests(AttendanceService attendance) : IClassFixture<AttendanceService>
{
    [Fact]
    public async Task A_session_scheduled_on_the_broker_becomes_visible_with_every_patient_pending()
    {
        var clinicId = Guid.NewGuid();
        var session = AttendanceService.NewSession(clinicId, patients: 3);
        var clinic = attendance.ClientFor(clinicId);

        await attendance.Broker.Publish(session);

        var response = await Eventually.Until(() => clinic.GetAttendance(session.SessionId),
            r => r.StatusCode == HttpStatusCode.OK, "the session to become visible");
        var body = await response.Json();
        Assert.Equal(session.SessionId, body.GetProperty("sessionId").GetGuid());
        Assert.Equal(session.StartsAt, body.GetProperty("startsAt").GetDateTimeOffset());
        Assert.Equal(session.EndsAt, body.GetProperty("endsAt").GetDateTimeOffset());
        Assert.Equal("America/Chicago", body.GetProperty("timeZone").GetString());
        var records = body.GetProperty("records").EnumerateArray().ToList();
        Assert.Equal(session.PatientIds, records.Select(r => r.GetProperty("patientId").GetGuid()));
        Assert.All(records, r =>
        {
            Assert.Equal("pending", r.GetProperty("outcome").GetString());
            Assert.Equal(System.Text.Json.JsonValueKind.Null, r.GetProperty("checkedInAt").ValueKind);
            Assert.Equal(System.Text.Json.JsonValueKind.Null, r.GetProperty("decidedAt").ValueKind);
        });
    }

    [Fact]
    public async Task Redelivering_the_same_SessionScheduled_has_no_second_effect()
    {
        var clinicId = Guid.NewGuid();
        var session = AttendanceService.NewSession(clinicId, patients: 2);
        var clinic = attendance.ClientFor(clinicId);
        await attendance.Schedule(session);
        Assert.Equal(HttpStatusCode.OK, (await clinic.CheckIn(session.SessionId, session.PatientIds[0])).StatusCode);

        await attendance.Broker.Publish(session);
        await attendance.Consumed.WaitFor(session.EventId, times: 2);

        Assert.Equal([(session.PatientIds[0], "present"), (session.PatientIds[1], "pending")], await clinic.Outcomes(session.SessionId));
        Assert.Equal(2, await attendance.AttendanceRows(clinicId));
    }
}
