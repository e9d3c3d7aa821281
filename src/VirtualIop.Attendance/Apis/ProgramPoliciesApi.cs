using Microsoft.AspNetCore.Http.HttpResults;
using VirtualIop.Attendance.Data;
using VirtualIop.Attendance.Domain;
using VirtualIop.BuildingBlocks.Audit;
using VirtualIop.BuildingBlocks.Auth;
using VirtualIop.BuildingBlocks.Http;

namespace VirtualIop.Attendance.Apis;

/// <summary>
/// A program's attendance policy. The first five are required when set. The rest are optional, and the service's
/// defaults apply when left out: lateAfterMinutes (a first join later than this is late), partialBelowPercent (leaving
/// with fewer minutes than this share of the session is partial), noticeHours (a notice at least this early is
/// excused), excusedReasons (reasons excused whenever the notice comes), phaseStartsAt (once reached, the minimum
/// attendance counts from it instead of over the rolling window). A read shows the values in force.
/// </summary>
public sealed record PolicyDto(
    int? WindowDays,
    decimal? MinAttendancePercent,
    int? MaxExcusedAbsences,
    int? MaxUnexcusedAbsences,
    bool? MakeupCancelsAbsence,
    int? LateAfterMinutes = null,
    int? PartialBelowPercent = null,
    int? NoticeHours = null,
    string[]? ExcusedReasons = null,
    DateTimeOffset? PhaseStartsAt = null)
{
    public static PolicyDto From(PolicySettings p) => new(p.WindowDays, p.MinAttendancePercent, p.MaxExcusedAbsences, p.MaxUnexcusedAbsences,
        p.MakeupCancelsAbsence, (int)p.Presence.LateAfter.TotalMinutes, p.Presence.PartialBelowPercent, p.Notice.NoticeHours,
        p.Notice.ExcusedReasons.Select(r => r.Name()).Order(StringComparer.Ordinal).ToArray(), p.PhaseStartsAt);
}

/// <param name="Status">goodStanding, atRisk or inBreach; Rules give each rule's numbers and the absences left before a breach.</param>
/// <param name="Excused">The excused absences the policy allows in its window, used and remaining (remaining never below 0).</param>
public sealed record PolicyStandingDto(
    Guid ProgramId, Guid PatientId, string Status, IReadOnlyList<RuleStanding> Rules, DateTimeOffset EvaluatedAt, ExcusedAbsences? Excused)
{
    public static PolicyStandingDto From(Guid programId, Guid patientId, string status, IReadOnlyList<RuleStanding> rules, DateTimeOffset evaluatedAt) =>
        new(programId, patientId, status, rules, evaluatedAt, ExcusedAbsences.From(rules));
}

public static class ProgramPoliciesApi
{
    const int MaxLateAfterMinutes = 240;
    const int MaxNoticeHours = 14 * 24;
    const int MaxAbsences = 1000;
    static readonly int MaxExcusedReasons = Enum.GetValues<AbsenceReason>().Length;

    public static RouteGroupBuilder MapProgramPoliciesApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/attendance/programs/{programId:guid}").RequireAuthorization().WithTags("Attendance policy");
        api.MapGet("/policy", GetPolicy).WithName("GetAttendancePolicy").WithSummary("The program's attendance policy (the default until one is set)");
        api.MapPut("/policy", PutPolicy).WithName("SetAttendancePolicy").RequireStaffRole(StaffRoles.Admin, StaffRoles.Coordinator)
            .WithSummary("Sets the program's attendance policy; its patients are evaluated again under it");
        api.MapGet("/patients/{patientId:guid}/standing", GetStanding).WithName("GetPolicyStanding").AllowPatientSelf()
            .AuditsPatientData("attendance.standing")
            .WithSummary("A patient's standing under the program's policy, with the distance to each limit and the excused absences left");
        app.MapGet("/api/attendance/patients/{patientId:guid}/standing", GetStandings).RequireAuthorization().WithTags("Attendance policy")
            .WithName("GetPatientPolicyStandings").AllowPatientSelf()
            .AuditsPatientData("attendance.standing")
            .WithSummary("The patient's standing in each program they attend, with the distance to each limit and the excused absences left");
        return api;
    }

    /// <returns>404 (ProblemDetails) for a program Attendance does not know for the clinic; see <see cref="UnknownResource"/>.</returns>
    static async Task<Results<Ok<PolicyDto>, ProblemHttpResult>> GetPolicy(Guid programId, ClinicContext clinic, ProgramPolicies policies, CancellationToken ct) =>
        await policies.Find(clinic.ClinicId, programId, ct) is { } policy
            ? TypedResults.Ok(PolicyDto.From(policy))
            : UnknownResource.Problem("program", "Attendance");

    /// <returns>404 (ProblemDetails), with nothing written, for a program Attendance does not know for the clinic; see <see cref="UnknownResource"/>.</returns>
    static async Task<Results<Ok<PolicyDto>, ValidationProblem, ProblemHttpResult>> PutPolicy(
        Guid programId, PolicyDto request, ClinicContext clinic, ProgramPolicies policies, TimeProvider clock, CancellationToken ct)
    {
        var errors = new ValidationErrors()
            .Require(request.WindowDays is >= 1 and <= 366, "windowDays", "The window is 1 to 366 days.")
            .Require(request.MinAttendancePercent is >= 0 and <= 100, "minAttendancePercent", "The minimum attendance is 0 to 100 percent.")
            .Require(request.MaxExcusedAbsences is >= 0 and <= MaxAbsences, "maxExcusedAbsences", $"The maximum of excused absences is 0 to {MaxAbsences}.")
            .Require(request.MaxUnexcusedAbsences is >= 0 and <= MaxAbsences, "maxUnexcusedAbsences", $"The maximum of unexcused absences is 0 to {MaxAbsences}.")
            .Require(request.MakeupCancelsAbsence is not null, "makeupCancelsAbsence", "Say whether a completed makeup cancels an absence's weight.")
            .Require(request.LateAfterMinutes is null or (>= 0 and <= MaxLateAfterMinutes), "lateAfterMinutes",
                $"The late threshold is 0 to {MaxLateAfterMinutes} minutes after the start.")
            .Require(request.PartialBelowPercent is null or (>= 0 and <= 100), "partialBelowPercent", "The partial threshold is 0 to 100 percent.")
            .Require(request.NoticeHours is null or (>= 0 and <= MaxNoticeHours), "noticeHours", $"The notice hours are 0 to {MaxNoticeHours}.")
            .RequireCount("excusedReasons", request.ExcusedReasons, MaxExcusedReasons)
            .Require(request.ExcusedReasons is null || request.ExcusedReasons.All(r => AttendanceOutcomes.TryParseReason(r, out _)), "excusedReasons",
                "Each excused reason must be one of technicalDifficulty, schedulingConflict, illness, emergency, lowMotivation, other.")
            .RequireWithin("phaseStartsAt", request.PhaseStartsAt);
        if (errors.Any) return TypedResults.ValidationProblem(errors.ToDictionary());

        var change = new ProgramPolicyChange(request.WindowDays!.Value, request.MinAttendancePercent!.Value, request.MaxExcusedAbsences!.Value,
            request.MaxUnexcusedAbsences!.Value, request.MakeupCancelsAbsence!.Value, request.LateAfterMinutes, request.PartialBelowPercent,
            request.NoticeHours, request.ExcusedReasons?.Distinct().ToArray(), request.PhaseStartsAt);
        return await policies.Save(clinic.ClinicId, programId, change, clock.GetUtcNow(), ct) is { } saved
            ? TypedResults.Ok(PolicyDto.From(saved))
            : UnknownResource.Problem("program", "Attendance");
    }

    static async Task<Results<Ok<PolicyStandingDto>, NotFound>> GetStanding(
        Guid programId, Guid patientId, ClinicContext clinic, ProgramPolicies policies, CancellationToken ct) =>
        await policies.Standing(clinic.ClinicId, programId, patientId, ct) is { } s
            ? TypedResults.Ok(PolicyStandingDto.From(programId, patientId, s.Status, s.Rules, s.EvaluatedAt))
            : TypedResults.NotFound();

    /// <summary>Empty until the patient's first decided session is evaluated.</summary>
    static async Task<Ok<IReadOnlyList<PolicyStandingDto>>> GetStandings(Guid patientId, ClinicContext clinic, ProgramPolicies policies, CancellationToken ct) =>
        TypedResults.Ok<IReadOnlyList<PolicyStandingDto>>((await policies.Standings(clinic.ClinicId, patientId, ct))
            .Select(s => PolicyStandingDto.From(s.ProgramId, patientId, s.Status, s.Rules, s.EvaluatedAt)).ToList());
}
