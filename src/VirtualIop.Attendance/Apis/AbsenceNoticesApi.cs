using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using VirtualIop.Attendance.Data;
using VirtualIop.Attendance.Domain;
using VirtualIop.BuildingBlocks.Audit;
using VirtualIop.BuildingBlocks.Auth;
using VirtualIop.BuildingBlocks.Http;
using VirtualIop.BuildingBlocks.Http.Idempotency;

namespace VirtualIop.Attendance.Apis;

/// <summary>notifiedBy: "patient" (through the clinic's app) or "staff" (on the patient's behalf).</summary>
public sealed record NotifyAbsenceRequest(Guid? SessionId, Guid? PatientId, string? ReasonCategory, string? Notes, string? NotifiedBy);

/// <param name="Status">active or withdrawn.</param>
public sealed record AbsenceNoticeDto(
    Guid Id,
    Guid SessionId,
    Guid PatientId,
    AbsenceReason ReasonCategory,
    string? Notes,
    string NotifiedBy,
    string RecordedBy,
    DateTimeOffset NotifiedAt,
    bool Excused,
    string Status,
    DateTimeOffset? WithdrawnAt)
{
    public static AbsenceNoticeDto From(AbsenceNotice n) => new(n.Id, n.SessionId, n.PatientId, n.ReasonCategory, n.Notes, n.NotifiedBy,
        n.RecordedBy, n.NotifiedAt, n.Excused, n.WithdrawnAt is null ? "active" : "withdrawn", n.WithdrawnAt);
}

public static class AbsenceNoticesApi
{
    const int MaxNotesLength = 2000;

    static readonly string[] NotifiedByValues = ["patient", "staff"];

    public static RouteGroupBuilder MapAbsenceNoticesApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/attendance/absence-notices").RequireAuthorization().WithTags("Absence notices");
        api.MapPost("/", NotifyAbsence).WithName("NotifyAbsence").AllowPatientSelfScopedByHandler()
            .Idempotent()
            .AuditsPatientData("attendance.absenceNotice")
            .WithSummary("A patient, or staff for them, notifies an absence ahead of a session; excused per the program's policy");
        api.MapGet("/{noticeId:guid}", GetNotice).WithName("GetAbsenceNotice").WithSummary("One absence notice")
            .AllowPatientSelfScopedByHandler().AddEndpointFilter(OwnNoticesOnly)
            .AuditsPatientData("attendance.absenceNotice");
        api.MapPost("/{noticeId:guid}/withdrawal", WithdrawNotice).WithName("WithdrawAbsenceNotice")
            .AllowPatientSelfScopedByHandler().AddEndpointFilter(OwnNoticesOnly)
            .AuditsPatientData("attendance.absenceNotice")
            .WithSummary("Withdraws a notice before the session starts; the patient is expected again");
        return api;
    }

    /// <summary>
    /// A patient's token reaches a notice only when it is their own; another patient's answers the same 404 as a notice
    /// the clinic does not have.
    /// </summary>
    static async ValueTask<object?> OwnNoticesOnly(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        if (Caller.PatientId(http.User) is { } patient
            && !(ClinicContext.FromPrincipal(http.User) is { } clinic
                 && Guid.TryParse(http.Request.RouteValues["noticeId"] as string, out var id)
                 && await http.RequestServices.GetRequiredService<AbsenceNotices>().BelongsTo(clinic.ClinicId, id, patient, http.RequestAborted)))
        {
            return UnknownResource.Problem("absence notice");
        }
        return await next(context);
    }

    /// <summary>
    /// A patient's own token notifies for that patient only, and always as the patient: the body may leave patientId out,
    /// and naming another patient answers the same 404 as an unknown one.
    /// </summary>
    static async Task<Results<Created<AbsenceNoticeDto>, ValidationProblem, NotFound, ProblemHttpResult>> NotifyAbsence(
        NotifyAbsenceRequest request, ClinicContext clinic, AbsenceNotices notices, HttpContext http, CancellationToken ct)
    {
        if (Caller.PatientId(http.User) is { } self)
        {
            if (request.PatientId is { } named && named != self) return UnknownResource.Problem("patient");
            request = request with { PatientId = self, NotifiedBy = "patient" };
        }
        var errors = new ValidationErrors()
            .Require(request.SessionId is { } s && s != Guid.Empty, "sessionId", "The session id is required.")
            .Require(request.PatientId is { } p && p != Guid.Empty, "patientId", "The patient id is required.")
            .Require(AttendanceOutcomes.TryParseReason(request.ReasonCategory, out var reason), "reasonCategory",
                "The reason category must be one of technicalDifficulty, schedulingConflict, illness, emergency, lowMotivation, other.")
            .Require(request.NotifiedBy is null || NotifiedByValues.Contains(request.NotifiedBy), "notifiedBy", "notifiedBy must be patient or staff.")
            .Require(request.Notes is null || request.Notes.Length <= MaxNotesLength, "notes", $"Notes are limited to {MaxNotesLength} characters.");
        if (errors.Any) return TypedResults.ValidationProblem(errors.ToDictionary());

        var notice = new NewAbsenceNotice(request.SessionId!.Value, request.PatientId!.Value, reason,
            string.IsNullOrWhiteSpace(request.Notes) ? null : request.Notes.Trim(), request.NotifiedBy ?? "patient");
        var result = await notices.Notify(clinic.ClinicId, notice, clinic.ClientId, ct);
        switch (result.Status)
        {
            case NoticeStatus.NotFound:
                return TypedResults.NotFound();
            case NoticeStatus.NotParticipant:
                errors.Add("patientId", "The patient is not expected at this session.");
                return TypedResults.ValidationProblem(errors.ToDictionary());
            case NoticeStatus.SessionEnded:
                errors.Add("sessionId", "The session has already ended: a notice must come before its end.");
                return TypedResults.ValidationProblem(errors.ToDictionary());
            case NoticeStatus.AlreadyNotified:
                return Conflict("A notice is already in force",
                    "The patient has already notified this absence; withdraw that notice first to give another.");
            default:
                return TypedResults.Created($"/api/attendance/absence-notices/{result.Notice!.Id}", AbsenceNoticeDto.From(result.Notice));
        }
    }

    static async Task<Results<Ok<AbsenceNoticeDto>, NotFound>> GetNotice(Guid noticeId, ClinicContext clinic, AbsenceNotices notices, CancellationToken ct) =>
        await notices.Find(clinic.ClinicId, noticeId, ct) is { } notice ? TypedResults.Ok(AbsenceNoticeDto.From(notice)) : TypedResults.NotFound();

    static async Task<Results<Ok<AbsenceNoticeDto>, NotFound, ProblemHttpResult>> WithdrawNotice(
        Guid noticeId, ClinicContext clinic, AbsenceNotices notices, CancellationToken ct)
    {
        var result = await notices.Withdraw(clinic.ClinicId, noticeId, clinic.ClientId, ct);
        return result.Status switch
        {
            NoticeStatus.NotFound => TypedResults.NotFound(),
            NoticeStatus.SessionStarted => Conflict("The session has started",
                "A notice can be withdrawn only before the session starts; a clinician can correct the outcome instead."),
            _ => TypedResults.Ok(AbsenceNoticeDto.From(result.Notice!))
        };
    }

    static ProblemHttpResult Conflict(string title, string detail) => TypedResults.Problem(detail, statusCode: StatusCodes.Status409Conflict, title: title);
}
