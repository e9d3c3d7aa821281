using VirtualIop.TestSupport;

namespace VirtualIop.Attendance.IntegrationTests;

[Collection(AttendanceCollection.Name)]
public sealed class IdempotentCreationTests(AttendanceService attendance) : IClassFixture<AttendanceService>
{
    [Fact]
    public Task Every_creating_endpoint_creates_once_per_idempotency_key_and_replays_its_first_answer() =>
        attendance.WalkCreatingEndpoints(new Dictionary<string, Func<HttpClient, Guid, Task<CreatingCall>>>
        {
            ["NotifyAbsence"] = async (_, clinicId) =>
            {
                var session = AttendanceService.NewSession(clinicId, 1) with { ProgramId = Guid.NewGuid() };
                await attendance.Schedule(session);
                return new("/api/attendance/absence-notices",
                    new { sessionId = session.SessionId, patientId = session.PatientIds[0], reasonCategory = "illness" },
                    "select count(*) from absence_notice where clinic_id = @Clinic");
            },
            ["ImportAttendanceHistory"] = async (_, clinicId) =>
            {
                var programId = await attendance.CreateProgram(clinicId);
                var startsAt = DateTimeOffset.UtcNow.AddDays(-2);
                return new("/api/attendance/history",
                    new
                    {
                        programId, cohortId = Guid.NewGuid(), timeZone = "America/New_York",
                        sessions = new[] { new { sessionId = Guid.NewGuid(), startsAt, durationMinutes = 90, records = new[] { new { patientId = Guid.NewGuid(), outcome = "present" } } } }
                    },
                    "select count(*) from attendance_session where clinic_id = @Clinic and imported_at is not null");
            },
        });
}
