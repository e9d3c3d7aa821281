using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using VirtualIop.BuildingBlocks.Audit;
using VirtualIop.BuildingBlocks.Auth;
using VirtualIop.BuildingBlocks.Http;
using VirtualIop.Scheduling.Data;
using VirtualIop.Scheduling.Domain;
using VirtualIop.Scheduling.Domain.Fhir;

namespace VirtualIop.Scheduling.Apis;

/// <summary>Advances from <c>fromPhase</c>, the phase the caller saw the patient in: a repeated or concurrent request moves them once.</summary>
public sealed record AdvancePhaseRequest(int? FromPhase);

public sealed record WaiveMissedSessionRequest(string? Reason);

/// <summary>
/// A session of the phase the patient missed (outcome noShow or unexcusedAbsence) that nothing addresses yet, with the
/// makeup still open for it, if any: taking that makeup up (booking it, a seat, a recording) completes it and clears the miss.
/// </summary>
public sealed record OutstandingSessionDto(Guid SessionId, Guid TopicId, string Topic, DateTimeOffset StartsAt, string Outcome, Guid? MakeupId)
{
    public static OutstandingSessionDto From(PhaseSession s, IReadOnlyDictionary<Guid, Guid> openMakeups) =>
        new(s.SessionId, s.TopicId, s.Topic, s.StartsAt, s.Outcome.Name(), openMakeups.TryGetValue(s.SessionId, out var makeup) ? makeup : null);
}

/// <summary>Where the patient stands: the current phase (1 is the first) of phaseCount, since when, and what of it is outstanding.</summary>
public sealed record PhaseStandingDto(
    Guid PatientId, Guid ProgramId, Guid CohortId, int Phase, string PhaseName, IReadOnlyList<Guid> TopicIds, int PhaseCount,
    DateTimeOffset? EnteredAt, int OutstandingCount, IReadOnlyList<OutstandingSessionDto> Outstanding)
{
    public static PhaseStandingDto From(PhaseStanding s) => new(s.PatientId, s.ProgramId, s.CohortId, s.Phase.Position, s.Phase.Name, s.Phase.TopicIds,
        s.PhaseCount, s.EnteredAt, s.Outstanding.Count, s.Outstanding.Select(o => OutstandingSessionDto.From(o, s.OpenMakeups)).ToList());
}

/// <summary>A follow-up to cover what is outstanding: POST /api/scheduling/bookings takes it as it is (and reads no <c>covers</c>).</summary>
public sealed record FollowUpProposalDto(Guid ClinicianId, Guid PatientId, string Kind, DateTimeOffset StartsAt, int DurationMinutes, string TimeZone,
    IReadOnlyList<Guid> Covers)
{
    public static FollowUpProposalDto From(FollowUpProposal p) =>
        new(p.ClinicianId, p.PatientId, p.Kind.Name(), p.StartsAt, p.DurationMinutes, p.TimeZone, p.Covers);
}

public sealed record MissWaiverDto(Guid SessionId, Guid PatientId, string Reason, string WaivedBy, DateTimeOffset WaivedAt)
{
    public static MissWaiverDto From(MissWaiver w) => new(w.SessionId, w.PatientId, w.Reason, w.WaivedBy, w.WaivedAt);
}

public static class PhasesApi
{
    static readonly string[] PhaseDeciders = [StaffRoles.Clinician, StaffRoles.Coordinator, StaffRoles.Admin];

    public static RouteGroupBuilder MapPhasesApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/scheduling/patients/{patientId:guid}").RequireAuthorization().WithTags("Phases");
        api.MapGet("/phase", GetPhase).WithName("GetPatientPhase")
            .AuditsPatientData("scheduling.patientPhase")
            .WithSummary("The patient's current phase in their program and the missed sessions of it that are not yet made up, caught up on or waived");
        api.MapPost("/phase/advance", Advance).WithName("AdvancePatientPhase")
            .RequireStaffRole(PhaseDeciders)
            .AuditsPatientData("scheduling.patientPhase")
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Moves the patient to the next phase; 409 lists the missed sessions still outstanding and proposes a follow-up in the facilitator's next free slot");
        api.MapPut("/missed-sessions/{sessionId:guid}/waiver", Waive).WithName("WaiveMissedSession")
            .RequireStaffRole(PhaseDeciders)
            .AuditsPatientData("scheduling.missWaiver")
            .WithSummary("A clinician waives what the patient missed at a session, with a reason; the miss then no longer holds their phase back");
        return api;
    }

    static async Task<Results<Ok<PhaseStandingDto>, ProblemHttpResult>> GetPhase(Guid patientId, ClinicContext clinic, PatientPhases phases,
        CancellationToken ct) =>
        await phases.Find(clinic.ClinicId, patientId, ct) is { } standing ? TypedResults.Ok(PhaseStandingDto.From(standing)) : UnknownPhasedEnrolment();

    static async Task<Results<Ok<PhaseStandingDto>, ValidationProblem, ProblemHttpResult>> Advance(
        Guid patientId, AdvancePhaseRequest request, ClinicContext clinic, PatientPhases phases, HttpContext http, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        if (request.FromPhase is not { } fromPhase || fromPhase < 1)
        {
            errors.Add("fromPhase", "The phase the patient is advanced from (1 is the first) is required.");
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }
        if (await phases.Advance(clinic.ClinicId, patientId, fromPhase, Actor(http.User, clinic), ct) is not { } result) return UnknownPhasedEnrolment();
        var standing = PhaseStandingDto.From(result.Standing);
        return result.Verdict switch
        {
            PhaseVerdict.Advance => TypedResults.Ok(standing),
            PhaseVerdict.ContentOutstanding => TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Missed content outstanding",
                detail: $"{standing.OutstandingCount} missed session(s) of phase {standing.Phase} are not yet made up, caught up on or waived." +
                        (result.Proposal is null ? " No follow-up slot is free with the facilitator in the program's search window." : ""),
                extensions: new Dictionary<string, object?>
                {
                    ["phase"] = standing.Phase,
                    ["outstanding"] = standing.Outstanding,
                    ["proposedFollowUp"] = result.Proposal is { } proposal ? FollowUpProposalDto.From(proposal) : null
                }),
            PhaseVerdict.LastPhase => TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Last phase",
                detail: $"The patient is in phase {standing.Phase}, the program's last.", extensions: new Dictionary<string, object?> { ["phase"] = standing.Phase }),
            _ => TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Phase moved",
                detail: $"The patient is in phase {standing.Phase} now, not {fromPhase}; nothing changed.",
                extensions: new Dictionary<string, object?> { ["phase"] = standing.Phase })
        };
    }

    static async Task<Results<Ok<MissWaiverDto>, ValidationProblem, ProblemHttpResult>> Waive(
        Guid patientId, Guid sessionId, WaiveMissedSessionRequest request, ClinicContext clinic, PatientPhases phases, HttpContext http, CancellationToken ct)
    {
        var reason = request.Reason?.Trim();
        var errors = new ValidationErrors();
        if (string.IsNullOrEmpty(reason)) errors.Add("reason", "A waiver needs the clinician's reason.");
        else errors.RequireLength("reason", reason, InputBounds.MaxLongText);
        if (errors.Any) return TypedResults.ValidationProblem(errors.ToDictionary());
        return await phases.Waive(clinic.ClinicId, patientId, sessionId, reason!, Actor(http.User, clinic), ct) is { } waiver
            ? TypedResults.Ok(MissWaiverDto.From(waiver))
            : UnknownResource.Problem("session");
    }

    /// <summary>Who decided: the staff member's user id, or for a partner system its client id.</summary>
    static string Actor(ClaimsPrincipal user, ClinicContext clinic) => user.FindFirstValue(PartnerClaims.Subject) ?? clinic.ClientId;

    static ProblemHttpResult UnknownPhasedEnrolment() =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Unknown phased enrolment",
            detail: "This clinic has no active enrolment of the patient in a program with phases. Nothing was written.",
            extensions: new Dictionary<string, object?> { ["resource"] = "patient" });
}
