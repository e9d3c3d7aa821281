using Microsoft.AspNetCore.Http.HttpResults;
using VirtualIop.Attendance.Data;
using VirtualIop.BuildingBlocks.Audit;
using VirtualIop.BuildingBlocks.Auth;
using VirtualIop.BuildingBlocks.Http;

namespace VirtualIop.Attendance.Apis;

public static class PatientsApi
{
    public static RouteGroupBuilder MapPatientsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/attendance/patients").RequireAuthorization().WithTags("Patients");
        api.MapGet("/{patientId:guid}/timeline", GetTimeline).WithName("GetAttendanceTimeline")
            .AuditsPatientData("attendance.timeline")
            .WithSummary("Every session of the patient with its outcome, reason, notes, corrections and linked makeup, newest first; paged (limit, cursor)");
        return api;
    }

    /// <returns>404 when the clinic has no session for this patient (another clinic's patient included).</returns>
    static async Task<Results<Ok<IReadOnlyList<TimelineEntry>>, ValidationProblem, NotFound>> GetTimeline(Guid patientId, int? limit, string? cursor,
        ClinicContext clinic, PatientTimelines timelines, HttpContext http, CancellationToken ct)
    {
        if (!KeysetPages.TryRead(limit, cursor, out var page, out var problem)) return problem;
        var (entries, nextCursor) = await timelines.For(clinic.ClinicId, patientId, page, ct);
        if (entries.Count == 0 && cursor is null) return TypedResults.NotFound();
        KeysetPages.Announce(http, nextCursor);
        return TypedResults.Ok(entries);
    }
}
