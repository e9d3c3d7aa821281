using System.Net;
using System.Net.Http.Json;
using Dapper;
using Npgsql;
using VirtualIop.Contracts.Scheduling;

namespace VirtualIop.Attendance.IntegrationTests;

[Collection(AttendanceCollection.Name)]
public sealed class ProgramOwnershipTests(AttendanceService attendance) : IClassFixture<AttendanceService>
{
    static readonly object Policy = new { windowDays = 28, minAttendancePercent = 50, maxExcusedAbsences = 3, maxUnexcusedAbsences = 2, makeupCancelsAbsence = true };

    [Fact]
    public async Task A_policy_for_a_program_the_clinic_did_not_create_is_404_saying_the_program_is_unknown_and_writes_nothing()
    {
        var (owner, other) = (Guid.NewGuid(), Guid.NewGuid());
        var programId = await attendance.CreateProgram(owner);

        var othersProgram = await attendance.ClientFor(other).PutAsJsonAsync($"/api/attendance/programs/{programId}/policy", Policy);
        var neverCreated = await attendance.ClientFor(owner).PutAsJsonAsync($"/api/attendance/programs/{Guid.NewGuid()}/policy", Policy);

        Assert.Equal(HttpStatusCode.NotFound, othersProgram.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, neverCreated.StatusCode);
        var problem = await othersProgram.Json();
        Assert.Equal("program", problem.GetProperty("resource").GetString());
        Assert.Contains("unknown to Attendance", problem.GetProperty("detail").GetString());
        Assert.Equal((0, 0), (await PolicyRows(other), await PolicyRows(owner)));
        Assert.Equal(HttpStatusCode.OK, (await attendance.ClientFor(owner).PutAsJsonAsync($"/api/attendance/programs/{programId}/policy", Policy)).StatusCode);
    }

    [Fact]
    public async Task A_program_is_known_once_whichever_of_ProgramCreated_and_SessionScheduled_arrives_first()
    {
        var clinicId = Guid.NewGuid();
        var clinic = attendance.ClientFor(clinicId);
        var sessionFirst = AttendanceService.NewSession(clinicId, 1) with { ProgramId = Guid.NewGuid() };
        var createdFirst = AttendanceService.NewSession(clinicId, 1) with { ProgramId = Guid.NewGuid() };

        await attendance.Schedule(sessionFirst);
        var fromSessionOnly = await clinic.PutAsJsonAsync($"/api/attendance/programs/{sessionFirst.ProgramId}/policy", Policy);
        await Created(clinicId, sessionFirst.ProgramId!.Value);
        var created = await Created(clinicId, createdFirst.ProgramId!.Value);
        await attendance.Schedule(createdFirst);
        await attendance.Broker.Publish(created);
        await attendance.Consumed.WaitFor(created.EventId, times: 2);

        Assert.Equal(HttpStatusCode.OK, fromSessionOnly.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await clinic.PutAsJsonAsync($"/api/attendance/programs/{createdFirst.ProgramId}/policy", Policy)).StatusCode);
        await using var db = new NpgsqlConnection(attendance.ConnectionString);
        var known = await db.QueryAsync<Guid>("select program_id from programs where clinic_id = @Clinic", new { Clinic = clinicId });
        Assert.Equal(new[] { sessionFirst.ProgramId.Value, createdFirst.ProgramId.Value }.Order(), known.Order());
    }

    [Fact]
    public async Task A_policy_past_its_bounds_is_refused_naming_each_field_and_writes_nothing()
    {
        var clinicId = Guid.NewGuid();
        var programId = await attendance.CreateProgram(clinicId);

        var response = await attendance.ClientFor(clinicId).PutAsJsonAsync($"/api/attendance/programs/{programId}/policy", new
        {
            windowDays = 28, minAttendancePercent = 50, maxExcusedAbsences = 1_000_000, maxUnexcusedAbsences = 2, makeupCancelsAbsence = true,
            excusedReasons = Enumerable.Repeat("illness", 7).ToArray(), phaseStartsAt = "2100-01-01T00:00:00Z"
        });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Json()).GetProperty("errors");
        Assert.All(new[] { "maxExcusedAbsences", "excusedReasons", "phaseStartsAt" }, f => Assert.True(errors.TryGetProperty(f, out _), f));
        Assert.Equal(0, await PolicyRows(clinicId));
    }

    async Task<ProgramCreated> Created(Guid clinicId, Guid programId)
    {
        var created = new ProgramCreated(Guid.CreateVersion7(), clinicId, programId, DateTimeOffset.UtcNow);
        await attendance.Broker.Publish(created);
        await attendance.Consumed.WaitFor(created.EventId, times: 1);
        return created;
    }

    async Task<int> PolicyRows(Guid clinicId)
    {
        await using var db = new NpgsqlConnection(attendance.ConnectionString);
        return await db.ExecuteScalarAsync<int>("select count(*)::int from program_policy where clinic_id = @Clinic", new { Clinic = clinicId });
    }
}
