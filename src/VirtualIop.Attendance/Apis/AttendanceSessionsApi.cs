using Microsoft.AspNetCore.Http.HttpResults;
using VirtualIop.Attendance.Data;
using VirtualIop.BuildingBlocks.Auth;
using VirtualIop.BuildingBlocks.Http;

namespace VirtualIop.Attendance.Apis;

public static class AttendanceSessionsApi
{
    public static RouteGroupBuilder MapAttendanceSessionsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/attendance/sessions").RequireAuthorization().WithTags("Attendance");
        api.MapGet("/{sessionId:guid}", GetSessionAttendance).WithName("GetSessionAttendance")
            .WithSummary("A session's attendance: one record per expected patient");
        api.MapPost("/{sessionId:guid}/check-ins", CheckIn).WithName("CheckIn")
            .WithSummary("Records that a patient joined the session (idempotent); a late check-in corrects a no-show");
        return api;
    }

    static async Task<Results<Ok<SessionAttendanceDto>, NotFound>> GetSessionAttendance(
        Guid sessionId, ClinicContext clinic, AttendanceSessions sessions, CancellationToken ct) =>
        await sessions.Find(clinic.ClinicId, sessionId, ct) is { } attendance
            ? TypedResults.Ok(SessionAttendanceDto.From(attendance))
            : TypedResults.NotFound();

    static async Task<Results<Ok<AttendanceRecordDto>, ValidationProblem, NotFound>> CheckIn(
        Guid sessionId, CheckInRequest request, ClinicContext clinic, AttendanceSessions sessions, CancellationToken ct)
    {
        var errors = new ValidationErrors()
            .Require(request.PatientId is { } id && id != Guid.Empty, "patientId", "The patient id is required.");
        if (errors.Any) return TypedResults.ValidationProblem(errors.ToDictionary());

        var result = await sessions.CheckIn(clinic.ClinicId, sessionId, request.PatientId!.Value, ct);
        switch (result.Status)
        {
            case CheckInStatus.SessionNotFound:
                return TypedResults.NotFound();
            case CheckInStatus.NotParticipant:
                errors.Add("patientId", "The patient is not expected at this session.");
                return TypedResults.ValidationProblem(errors.ToDictionary());
            default:
                return TypedResults.Ok(AttendanceRecordDto.From(result.Record!));
        }
    }
}
