using Microsoft.AspNetCore.Http.HttpResults;
using VirtualIop.Attendance.Data;
using VirtualIop.BuildingBlocks.Audit;
using VirtualIop.BuildingBlocks.Auth;

namespace VirtualIop.Attendance.Apis;

public static class PatientsApi
{
    public static RouteGroupBuilder MapPatientsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/attendance/patients").RequireAuthorization().WithTags("Patients");
        api.MapGet("/{patientId:guid}/timeline", GetTimeline).WithName("GetAttendanceTimeline")
            .AuditsPatientData("attendance.timeline")
            .WithSummary("Every session of the patient with its outcome, reason, notes, corrections and linked makeup, newest first");
        return api;
    }

    /// <returns>404 when the clinic has no session for this patient (another clinic's patient included).</returns>
    static async Task<Results<Ok<IReadOnlyList<TimelineEntry>>, NotFound>> GetTimeline(
        Guid patientId, ClinicContext clinic, PatientTimelines timelines, CancellationToken ct) =>
        await timelines.For(clinic.ClinicId, patientId, ct) is { Count: > 0 } timeline ? TypedResults.Ok(timeline) : TypedResults.NotFound();
}
