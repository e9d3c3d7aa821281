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
        });
}
