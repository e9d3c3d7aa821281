using Microsoft.AspNetCore.Http.HttpResults;
using VirtualIop.Attendance.Data;
using VirtualIop.Attendance.Domain;
using VirtualIop.BuildingBlocks.Audit;
using VirtualIop.BuildingBlocks.Auth;
using VirtualIop.BuildingBlocks.Http;
using VirtualIop.BuildingBlocks.Http.Idempotency;

namespace VirtualIop.Attendance.Apis;

/// <summary>
/// A cohort's past sessions, brought along from the clinic's previous system: the program and cohort they belong to, the
/// IANA time zone they were held in, and each session (the clinic's id, start, duration) with one decided record per patient.
/// </summary>
public sealed record HistoryImportRequest(Guid? ProgramId, Guid? CohortId, string? TimeZone, IReadOnlyList<HistorySessionRequest>? Sessions);

public sealed record HistorySessionRequest(Guid? SessionId, DateTimeOffset? StartsAt, int? DurationMinutes, IReadOnlyList<HistoryRecordRequest>? Records);

/// <summary>outcome: present, late, partial, excusedAbsence, unexcusedAbsence or noShow; minutesAttended: 0 to the session's duration.</summary>
public sealed record HistoryRecordRequest(Guid? PatientId, string? Outcome, string? ReasonCategory, int? MinutesAttended);

/// <summary>The sessions this call imported, and those an earlier import had brought in already (left as they were).</summary>
public sealed record HistoryImportDto(IReadOnlyList<Guid> Imported, IReadOnlyList<Guid> AlreadyImported);

public static class AttendanceHistoryApi
{
    public static RouteGroupBuilder MapAttendanceHistoryApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/attendance/history").RequireAuthorization().WithTags("Attendance history");
        api.MapPost("/", ImportHistory).WithName("ImportAttendanceHistory")
            .RequireStaffRole(StaffRoles.Admin, StaffRoles.Coordinator)
            .Idempotent()
            .AuditsPatientData("attendance.history")
            .WithSummary($"Imports a cohort's past sessions and outcomes from the clinic's previous system (ended, at most {AttendanceHistory.MaxAgeDays} days old): "
                         + "shown in the heatmap and counted in policy standing, never messaged, made up, followed up or billed; a session imported before is left as it was");
        return api;
    }

    static async Task<Results<Ok<HistoryImportDto>, ValidationProblem, ProblemHttpResult>> ImportHistory(HistoryImportRequest request,
        ClinicContext clinic, HistoryImports history, TimeProvider clock, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var errors = new ValidationErrors()
            .Require(request.ProgramId is { } p && p != Guid.Empty, "programId", "The program id is required.")
            .Require(request.CohortId is { } c && c != Guid.Empty, "cohortId", "The cohort id is required.")
            .Require(InputBounds.IsIanaTimeZone(request.TimeZone), "timeZone",
                "An IANA time zone such as America/New_York is required.")
            .Require(request.Sessions is { Count: > 0 }, "sessions", "At least one session is required.")
            .RequireCount("sessions", request.Sessions, AttendanceHistory.MaxSessions);
        List<ImportedSession> sessions = errors.Any ? [] : Sessions(request.Sessions!, now, errors);
        if (errors.Any) return TypedResults.ValidationProblem(errors.ToDictionary());

        var result = await history.Import(clinic.ClinicId, request.ProgramId!.Value, request.CohortId!.Value, request.TimeZone!, sessions,
            clinic.ClientId, now, ct);
        switch (result.Status)
        {
            case HistoryImportStatus.UnknownProgram:
                errors.Add("programId", "Not a program of this clinic's schedule (or Attendance has not heard of it yet).");
                return TypedResults.ValidationProblem(errors.ToDictionary());
            case HistoryImportStatus.CohortOfAnotherProgram:
                errors.Add("cohortId", "The cohort's sessions belong to another program.");
                return TypedResults.ValidationProblem(errors.ToDictionary());
            case HistoryImportStatus.ScheduledHere:
                var conflicting = result.Conflicting.ToHashSet();
                var fields = sessions.Select((s, i) => (s.SessionId, Field: $"sessions[{i}].sessionId")).Where(s => conflicting.Contains(s.SessionId))
                    .ToDictionary(s => s.Field, _ => new[] { "VirtualIop scheduled this session itself: record its attendance, or correct it, instead of importing it." });
                return TypedResults.Problem("Some sessions were scheduled in VirtualIop; only history from before the clinic moved here is imported.",
                    statusCode: StatusCodes.Status409Conflict, title: "Sessions scheduled here", extensions: new Dictionary<string, object?> { ["errors"] = fields });
            default:
                return TypedResults.Ok(new HistoryImportDto(result.Imported, result.AlreadyImported));
        }
    }

    /// <summary>Checks every session and record, naming each bad field by its place (sessions[2].records[0].outcome).</summary>
    static List<ImportedSession> Sessions(IReadOnlyList<HistorySessionRequest?> requested, DateTimeOffset now, ValidationErrors errors)
    {
        var sessions = new List<ImportedSession>();
        var sessionIds = new HashSet<Guid>();
        for (var i = 0; i < requested.Count; i++)
        {
            var at = $"sessions[{i}]";
            var s = requested[i];
            errors.Require(s?.SessionId is { } id && id != Guid.Empty, $"{at}.sessionId", "The session id is required.")
                .Require(s?.SessionId is not { } given || sessionIds.Add(given), $"{at}.sessionId", "The session is listed twice.")
                .Require(s?.DurationMinutes is >= 1 and <= AttendanceHistory.MaxDurationMinutes, $"{at}.durationMinutes",
                    $"The duration is 1 to {AttendanceHistory.MaxDurationMinutes} minutes.")
                .Require(s?.Records is { Count: > 0 }, $"{at}.records", "At least one patient's record is required.")
                .RequireCount($"{at}.records", s?.Records, AttendanceHistory.MaxRecordsPerSession);
            if (s?.StartsAt is not { } start || !InputBounds.IsWithin(start))
            {
                errors.Add($"{at}.startsAt", "The session's start is required, after 2000-01-01.");
                continue;
            }
            var end = start.AddMinutes(s.DurationMinutes ?? 0);
            errors.Require(AttendanceHistory.HasEnded(end, now), $"{at}.startsAt", "Only sessions that have ended are imported; schedule future ones instead.")
                .Require(AttendanceHistory.IsRecentEnough(start, now), $"{at}.startsAt",
                    $"Only sessions from the last {AttendanceHistory.MaxAgeDays} days are imported.");
            if (s.Records is not { Count: > 0 and <= AttendanceHistory.MaxRecordsPerSession } listed) continue;
            var records = new List<ImportedRecord>();
            var patients = new HashSet<Guid>();
            for (var j = 0; j < listed.Count; j++)
            {
                var rat = $"{at}.records[{j}]";
                var r = listed[j];
                AbsenceReason reason = default;
                errors.Require(r?.PatientId is { } patient && patient != Guid.Empty, $"{rat}.patientId", "The patient id is required.")
                    .Require(r?.PatientId is not { } named || patients.Add(named), $"{rat}.patientId", "The patient is listed twice for this session.")
                    .Require(AttendanceOutcomes.TryParse(r?.Outcome, out var outcome) && AttendanceHistory.IsImportable(outcome), $"{rat}.outcome",
                        "The outcome must be one of present, late, partial, excusedAbsence, unexcusedAbsence, noShow.")
                    .Require(r?.ReasonCategory is null || AttendanceOutcomes.TryParseReason(r.ReasonCategory, out reason), $"{rat}.reasonCategory",
                        "The reason category must be one of technicalDifficulty, schedulingConflict, illness, emergency, lowMotivation, other.")
                    .Require(r?.MinutesAttended is null || (r.MinutesAttended >= 0 && r.MinutesAttended <= s.DurationMinutes), $"{rat}.minutesAttended",
                        "The minutes attended are 0 to the session's duration.");
                if (r?.PatientId is { } p) records.Add(new ImportedRecord(p, outcome, r.ReasonCategory is null ? null : reason, r.MinutesAttended));
            }
            if (s.SessionId is { } sessionId) sessions.Add(new ImportedSession(sessionId, start, end, records));
        }
        return sessions;
    }
}
