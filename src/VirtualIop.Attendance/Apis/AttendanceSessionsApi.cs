using Microsoft.AspNetCore.Http.HttpResults;
using VirtualIop.Attendance.Data;
using VirtualIop.Attendance.Domain;
using VirtualIop.BuildingBlocks.Audit;
using VirtualIop.BuildingBlocks.Auth;
using VirtualIop.BuildingBlocks.Http;

namespace VirtualIop.Attendance.Apis;

public static class AttendanceSessionsApi
{
    /// <summary>Longest free-text note kept with an absence.</summary>
    const int MaxNotesLength = 2000;

    public static RouteGroupBuilder MapAttendanceSessionsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/attendance/sessions").RequireAuthorization().WithTags("Attendance");
        api.MapGet("/{sessionId:guid}", GetSessionAttendance).WithName("GetSessionAttendance")
            .AuditsPatientData("attendance.sessionRecords")
            .WithSummary("A session's attendance: one record per expected patient, and the staff who joined");
        api.MapPost("/{sessionId:guid}/check-ins", CheckIn).WithName("CheckIn")
            .AuditsPatientData("attendance.presence")
            .WithSummary("Records that a patient or staff member joined (idempotent while present); a late check-in corrects a no-show; 202 holds it for a session not known yet");
        api.MapPost("/{sessionId:guid}/check-outs", CheckOut).WithName("CheckOut")
            .AuditsPatientData("attendance.presence")
            .WithSummary("Records that a patient or staff member left; re-joining later adds up the minutes; 202 holds it for a session not known yet");
        api.MapPost("/{sessionId:guid}/absences", RecordAbsence).WithName("RecordAbsence")
            .AuditsPatientData("attendance.record")
            .WithSummary("Staff document a patient's absence with a reason category and notes");
        api.MapPost("/{sessionId:guid}/corrections", CorrectOutcome).WithName("CorrectOutcome")
            .AuditsPatientData("attendance.corrections")
            .WithSummary("A clinician corrects a patient's outcome with an explanation; the history is kept");
        api.MapGet("/{sessionId:guid}/patients/{patientId:guid}/corrections", GetCorrections).WithName("GetCorrections")
            .AuditsPatientData("attendance.corrections")
            .WithSummary("The corrections of a patient's outcome, oldest first; paged (limit, cursor)");
        return api;
    }

    static async Task<Results<Ok<AttendanceRecordDto>, ValidationProblem, NotFound>> CorrectOutcome(
        Guid sessionId, CorrectionRequest request, ClinicContext clinic, Corrections corrections, CancellationToken ct)
    {
        AbsenceReason parsedReason = default;
        var errors = new ValidationErrors()
            .Require(request.PatientId is { } id && id != Guid.Empty, "patientId", "The patient id is required.")
            .Require(AttendanceOutcomes.TryParse(request.Outcome, out var outcome) && outcome != AttendanceOutcome.Pending, "outcome",
                "The outcome must be one of present, late, partial, excusedAbsence, unexcusedAbsence, noShow.")
            .Require(request.ReasonCategory is null || AttendanceOutcomes.TryParseReason(request.ReasonCategory, out parsedReason), "reasonCategory",
                "The reason category must be one of technicalDifficulty, schedulingConflict, illness, emergency, lowMotivation, other.")
            .Require(!string.IsNullOrWhiteSpace(request.Explanation) && request.Explanation.Length <= MaxNotesLength, "explanation",
                $"Say why the outcome is corrected (up to {MaxNotesLength} characters).")
            .Require(request.Notes is null || request.Notes.Length <= MaxNotesLength, "notes", $"Notes are limited to {MaxNotesLength} characters.");
        if (errors.Any) return TypedResults.ValidationProblem(errors.ToDictionary());

        var correction = new NewCorrection(sessionId, request.PatientId!.Value, outcome, request.ReasonCategory is null ? null : parsedReason,
            string.IsNullOrWhiteSpace(request.Notes) ? null : request.Notes.Trim(), request.Explanation!.Trim());
        var result = await corrections.Correct(clinic.ClinicId, correction, clinic.ClientId, ct);
        switch (result.Status)
        {
            case CorrectionStatus.SessionNotFound:
                return TypedResults.NotFound();
            case CorrectionStatus.NotParticipant:
                errors.Add("patientId", "The patient is not expected at this session.");
                return TypedResults.ValidationProblem(errors.ToDictionary());
            case CorrectionStatus.Unchanged:
                errors.Add("outcome", "The record already has this outcome and reason.");
                return TypedResults.ValidationProblem(errors.ToDictionary());
            default:
                return TypedResults.Ok(AttendanceRecordDto.From(result.Record!, 0));
        }
    }

    static async Task<Results<Ok<IReadOnlyList<Correction>>, ValidationProblem, NotFound>> GetCorrections(Guid sessionId, Guid patientId, int? limit,
        string? cursor, ClinicContext clinic, Corrections corrections, HttpContext http, CancellationToken ct)
    {
        if (!KeysetPages.TryRead(limit, cursor, out var page, out var problem)) return problem;
        if (await corrections.History(clinic.ClinicId, sessionId, patientId, page, ct) is not { } history) return TypedResults.NotFound();
        KeysetPages.Announce(http, history.NextCursor);
        return TypedResults.Ok(history.Corrections);
    }

    static async Task<Results<Ok<SessionAttendanceDto>, NotFound>> GetSessionAttendance(
        Guid sessionId, ClinicContext clinic, AttendanceSessions sessions, CancellationToken ct) =>
        await sessions.Find(clinic.ClinicId, sessionId, ct) is { } attendance
            ? TypedResults.Ok(SessionAttendanceDto.From(attendance))
            : TypedResults.NotFound();

    static Task<Results<Ok<AttendanceRecordDto>, NoContent, Accepted<PresenceHeldDto>, ValidationProblem>> CheckIn(
        Guid sessionId, PresenceRequest request, ClinicContext clinic, AttendanceSessions sessions, CancellationToken ct) =>
        RecordPresence(sessionId, request, PresenceChange.Join, clinic, sessions, ct);

    static Task<Results<Ok<AttendanceRecordDto>, NoContent, Accepted<PresenceHeldDto>, ValidationProblem>> CheckOut(
        Guid sessionId, PresenceRequest request, ClinicContext clinic, AttendanceSessions sessions, CancellationToken ct) =>
        RecordPresence(sessionId, request, PresenceChange.Leave, clinic, sessions, ct);

    /// <returns>
    /// 200 with the patient's record; 204 for staff, who have no attendance record; 202 for a session not known yet (a check-in
    /// right after Scheduling created it): the mark is held and applies when the session comes.
    /// </returns>
    static async Task<Results<Ok<AttendanceRecordDto>, NoContent, Accepted<PresenceHeldDto>, ValidationProblem>> RecordPresence(
        Guid sessionId, PresenceRequest request, PresenceChange change, ClinicContext clinic, AttendanceSessions sessions, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        if (request.StaffId is { } staffId)
        {
            errors.Require(request.PatientId is null, "patientId", "Give either a patient id or a staff id, not both.")
                .Require(staffId != Guid.Empty, "staffId", "The staff id must not be empty.");
            if (errors.Any) return TypedResults.ValidationProblem(errors.ToDictionary());
            switch (await sessions.RecordStaffPresence(clinic.ClinicId, sessionId, staffId, change, clinic.ClientId, ct))
            {
                case StaffPresenceResult.Held:
                    return TypedResults.Accepted(SessionUri(sessionId), PresenceHeldDto.For(sessionId, null, staffId));
                case StaffPresenceResult.IsPatient:
                    errors.Add("staffId", "This id is a patient of the session: check it in as patientId.");
                    return TypedResults.ValidationProblem(errors.ToDictionary());
                default:
                    return TypedResults.NoContent();
            }
        }

        errors.Require(request.PatientId is { } id && id != Guid.Empty, "patientId", "The patient id (or a staff id) is required.");
        if (errors.Any) return TypedResults.ValidationProblem(errors.ToDictionary());

        var result = await sessions.RecordPatientPresence(clinic.ClinicId, sessionId, request.PatientId!.Value, change, clinic.ClientId, ct);
        switch (result.Status)
        {
            case PresenceStatus.Held:
                return TypedResults.Accepted(SessionUri(sessionId), PresenceHeldDto.For(sessionId, request.PatientId, null));
            case PresenceStatus.NotParticipant:
                errors.Add("patientId", "The patient is not expected at this session.");
                return TypedResults.ValidationProblem(errors.ToDictionary());
            default:
                return TypedResults.Ok(AttendanceRecordDto.From(result.Record!, result.MinutesAttended));
        }
    }

    static string SessionUri(Guid sessionId) => $"/api/attendance/sessions/{sessionId}";

    static async Task<Results<Ok<AttendanceRecordDto>, ValidationProblem, NotFound, ProblemHttpResult>> RecordAbsence(
        Guid sessionId, RecordAbsenceRequest request, ClinicContext clinic, AttendanceSessions sessions, CancellationToken ct)
    {
        var errors = new ValidationErrors()
            .Require(request.PatientId is { } id && id != Guid.Empty, "patientId", "The patient id is required.")
            .Require(AttendanceOutcomes.TryParse(request.Outcome, out var outcome) && outcome.IsAbsence(), "outcome",
                "The outcome must be one of excusedAbsence, unexcusedAbsence, noShow.")
            .Require(AttendanceOutcomes.TryParseReason(request.ReasonCategory, out var reason), "reasonCategory",
                "The reason category must be one of technicalDifficulty, schedulingConflict, illness, emergency, lowMotivation, other.")
            .Require(request.Notes is null || request.Notes.Length <= MaxNotesLength, "notes", $"Notes are limited to {MaxNotesLength} characters.");
        if (errors.Any) return TypedResults.ValidationProblem(errors.ToDictionary());

        var result = await sessions.RecordAbsence(clinic.ClinicId, sessionId, request.PatientId!.Value, outcome, reason,
            string.IsNullOrWhiteSpace(request.Notes) ? null : request.Notes.Trim(), clinic.ClientId, ct);
        switch (result.Status)
        {
            case AbsenceStatus.SessionNotFound:
                return TypedResults.NotFound();
            case AbsenceStatus.NotParticipant:
                errors.Add("patientId", "The patient is not expected at this session.");
                return TypedResults.ValidationProblem(errors.ToDictionary());
            case AbsenceStatus.AlreadyDecided:
                return TypedResults.Problem($"The patient's outcome is {result.Record!.Outcome.Name()}; changing it is a correction.",
                    statusCode: StatusCodes.Status409Conflict, title: "The outcome is already decided");
            default:
                return TypedResults.Ok(AttendanceRecordDto.From(result.Record!, 0));
        }
    }
}
