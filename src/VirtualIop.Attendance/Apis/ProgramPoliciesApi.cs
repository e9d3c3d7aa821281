using Microsoft.AspNetCore.Http.HttpResults;
using VirtualIop.Attendance.Data;
using VirtualIop.Attendance.Domain;
using VirtualIop.BuildingBlocks.Auth;
using VirtualIop.BuildingBlocks.Http;

namespace VirtualIop.Attendance.Apis;

public sealed record PolicyDto(int? WindowDays, decimal? MinAttendancePercent, int? MaxExcusedAbsences, int? MaxUnexcusedAbsences, bool? MakeupCancelsAbsence)
{
    public static PolicyDto From(PolicySettings p) => new(p.WindowDays, p.MinAttendancePercent, p.MaxExcusedAbsences, p.MaxUnexcusedAbsences, p.MakeupCancelsAbsence);
}

/// <param name="Status">goodStanding, atRisk or inBreach; Rules give each rule's numbers and the absences left before a breach.</param>
public sealed record PolicyStandingDto(Guid ProgramId, Guid PatientId, string Status, IReadOnlyList<RuleStanding> Rules, DateTimeOffset EvaluatedAt);

public static class ProgramPoliciesApi
{
    public static RouteGroupBuilder MapProgramPoliciesApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/attendance/programs/{programId:guid}").RequireAuthorization().WithTags("Attendance policy");
        api.MapGet("/policy", GetPolicy).WithName("GetAttendancePolicy").WithSummary("The program's attendance policy (the default until one is set)");
        api.MapPut("/policy", PutPolicy).WithName("SetAttendancePolicy")
            .WithSummary("Sets the program's attendance policy; its patients are evaluated again under it");
        api.MapGet("/patients/{patientId:guid}/standing", GetStanding).WithName("GetPolicyStanding")
            .WithSummary("A patient's standing under the program's policy, with the distance to each limit");
        return api;
    }

    static async Task<Ok<PolicyDto>> GetPolicy(Guid programId, ClinicContext clinic, ProgramPolicies policies, CancellationToken ct) =>
        TypedResults.Ok(PolicyDto.From(await policies.Find(clinic.ClinicId, programId, ct)));

    static async Task<Results<Ok<PolicyDto>, ValidationProblem>> PutPolicy(
        Guid programId, PolicyDto request, ClinicContext clinic, ProgramPolicies policies, TimeProvider clock, CancellationToken ct)
    {
        var errors = new ValidationErrors()
            .Require(request.WindowDays is >= 1 and <= 366, "windowDays", "The window is 1 to 366 days.")
            .Require(request.MinAttendancePercent is >= 0 and <= 100, "minAttendancePercent", "The minimum attendance is 0 to 100 percent.")
            .Require(request.MaxExcusedAbsences is >= 0, "maxExcusedAbsences", "The maximum of excused absences must be 0 or more.")
            .Require(request.MaxUnexcusedAbsences is >= 0, "maxUnexcusedAbsences", "The maximum of unexcused absences must be 0 or more.")
            .Require(request.MakeupCancelsAbsence is not null, "makeupCancelsAbsence", "Say whether a completed makeup cancels an absence's weight.");
        if (errors.Any) return TypedResults.ValidationProblem(errors.ToDictionary());

        var policy = new PolicySettings(request.WindowDays!.Value, request.MinAttendancePercent!.Value, request.MaxExcusedAbsences!.Value,
            request.MaxUnexcusedAbsences!.Value, request.MakeupCancelsAbsence!.Value);
        await policies.Save(clinic.ClinicId, programId, policy, clock.GetUtcNow(), ct);
        return TypedResults.Ok(PolicyDto.From(policy));
    }

    static async Task<Results<Ok<PolicyStandingDto>, NotFound>> GetStanding(
        Guid programId, Guid patientId, ClinicContext clinic, ProgramPolicies policies, CancellationToken ct) =>
        await policies.Standing(clinic.ClinicId, programId, patientId, ct) is { } s
            ? TypedResults.Ok(new PolicyStandingDto(programId, patientId, s.Status, s.Rules, s.EvaluatedAt))
            : TypedResults.NotFound();
}
