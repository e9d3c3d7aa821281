using Microsoft.AspNetCore.Http.HttpResults;
using VirtualIop.Attendance.Data;
using VirtualIop.Attendance.Domain;
using VirtualIop.BuildingBlocks.Audit;
using VirtualIop.BuildingBlocks.Auth;
using VirtualIop.BuildingBlocks.Http;

namespace VirtualIop.Attendance.Apis;

/// <summary>A program's standing for the patient, evaluated at the time of the read: status and each rule's distance to its limit.</summary>
public sealed record ProgramStandingDto(Guid ProgramId, string Status, IReadOnlyList<RuleStanding> Rules);

/// <summary>
/// A patient's attendance summary over sessions starting in [from, to) (all when left out): counts of every outcome,
/// the attendance rate over decided sessions (null before any), and the standing in each program.
/// </summary>
public sealed record PatientSummaryDto(Guid PatientId, DateTimeOffset? From, DateTimeOffset? To, OutcomeCounts Counts, decimal? AttendanceRate,
    IReadOnlyList<ProgramStandingDto> Programs, DateTimeOffset EvaluatedAt);

public sealed record CohortWeekDto(string Week, DateOnly WeekStartsOn, int Sessions, OutcomeCounts Outcomes, decimal? AttendanceRate)
{
    public static CohortWeekDto From(CohortWeek w) => new(w.Week, w.WeekStartsOn, w.SessionCount, w.Outcomes, w.Outcomes.AttendanceRate);
}

public static class AttendanceReadsApi
{
    public static IEndpointRouteBuilder MapAttendanceReadsApi(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/api/attendance/patients").RequireAuthorization().WithTags("Patients")
            .MapGet("/{patientId:guid}/summary", GetSummary).WithName("GetAttendanceSummary")
            .AuditsPatientData("attendance.summary")
            .WithSummary("A patient's attendance rate, excused and unexcused counts, and policy status with the distance to each limit");
        app.MapGroup("/api/attendance/cohorts").RequireAuthorization().WithTags("Cohorts")
            .MapGet("/{cohortId:guid}/weeks", GetCohortWeeks).WithName("GetCohortAttendanceByWeek")
            .WithSummary("A cohort's attendance per ISO week in its time zone");
        app.MapGroup("/api/attendance/cohorts").RequireAuthorization().WithTags("Cohorts")
            .MapGet("/{cohortId:guid}/heatmap", GetCohortHeatmap).WithName("GetCohortHeatmap")
            .AuditsPatientData("attendance.cohortHeatmap")
            .WithSummary("A cohort's patients by sessions with each outcome (made-up misses marked) and each patient's policy standing; sessions starting in [from, to), the last 28 days by default");
        app.MapGroup("/api/attendance/clinicians").RequireAuthorization().WithTags("Clinicians")
            .MapGet("/{clinicianId:guid}/today", GetClinicianToday).WithName("GetClinicianToday")
            .AuditsPatientData("attendance.clinicianDay")
            .WithSummary("A clinician's sessions today (each in its own time zone) with who is in the room now; paged (limit, cursor)");
        return app;
    }

    static async Task<Results<Ok<PatientSummaryDto>, ValidationProblem, NotFound>> GetSummary(Guid patientId, DateTimeOffset? from, DateTimeOffset? to,
        ClinicContext clinic, AttendanceReads reads, ProgramPolicies policies, TimeProvider clock, CancellationToken ct)
    {
        if (RangeErrors(from, to) is { } problem) return problem;
        var counts = await reads.PatientCounts(clinic.ClinicId, patientId, from, to, ct);
        if (counts is null) return TypedResults.NotFound();
        var now = clock.GetUtcNow();
        var programs = (await policies.EvaluateNow(clinic.ClinicId, patientId, now, ct))
            .Select(p => new ProgramStandingDto(p.ProgramId, ProgramPolicies.StatusName(p.Standing.Status), p.Standing.Rules)).ToList();
        return TypedResults.Ok(new PatientSummaryDto(patientId, from, to, counts, counts.AttendanceRate, programs, now));
    }

    static async Task<Results<Ok<IReadOnlyList<CohortWeekDto>>, ValidationProblem, NotFound>> GetCohortWeeks(Guid cohortId, DateTimeOffset? from,
        DateTimeOffset? to, ClinicContext clinic, AttendanceReads reads, CancellationToken ct)
    {
        if (RangeErrors(from, to) is { } problem) return problem;
        return await reads.CohortWeeks(clinic.ClinicId, cohortId, from, to, ct) is { } weeks
            ? TypedResults.Ok<IReadOnlyList<CohortWeekDto>>(weeks.Select(CohortWeekDto.From).ToList())
            : TypedResults.NotFound();
    }

    /// <summary>How far back the heatmap looks when the caller names no range: four weeks, the span of a typical policy window.</summary>
    static readonly TimeSpan DefaultHeatmapSpan = TimeSpan.FromDays(28);

    static async Task<Results<Ok<CohortHeatmap>, ValidationProblem, NotFound>> GetCohortHeatmap(Guid cohortId, DateTimeOffset? from, DateTimeOffset? to,
        ClinicContext clinic, CohortHeatmaps heatmaps, TimeProvider clock, CancellationToken ct)
    {
        if (RangeErrors(from, to) is { } problem) return problem;
        var end = to ?? (from is { } start ? start + DefaultHeatmapSpan : clock.GetUtcNow());
        var begin = from ?? end - DefaultHeatmapSpan;
        return await heatmaps.For(clinic.ClinicId, cohortId, begin, end, ct) is { } heatmap ? TypedResults.Ok(heatmap) : TypedResults.NotFound();
    }

    static async Task<Results<Ok<IReadOnlyList<LiveSession>>, ValidationProblem>> GetClinicianToday(Guid clinicianId, int? limit, string? cursor,
        ClinicContext clinic, AttendanceReads reads, TimeProvider clock, HttpContext http, CancellationToken ct)
    {
        return await KeysetPages.Serve(limit, cursor, http, async page =>
        {
            var day = await reads.ClinicianDay(clinic.ClinicId, clinicianId, clock.GetUtcNow(), page, ct);
            return (day.Sessions, day.NextCursor);
        });
    }

    static ValidationProblem? RangeErrors(DateTimeOffset? from, DateTimeOffset? to)
    {
        var errors = new ValidationErrors().RequireRange(from, to);
        return errors.Any ? TypedResults.ValidationProblem(errors.ToDictionary()) : null;
    }
}
