using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using VirtualIop.BuildingBlocks.Audit;
using VirtualIop.BuildingBlocks.Auth;
using VirtualIop.BuildingBlocks.Http;
using VirtualIop.BuildingBlocks.Http.Idempotency;
using VirtualIop.Scheduling.Data;
using VirtualIop.Scheduling.Domain;
using VirtualIop.Scheduling.Extensions;

namespace VirtualIop.Scheduling.Apis;

/// <summary>A coordinator's extra makeup group for one topic of the program: when, how long, who facilitates, how many seats.</summary>
public sealed record OpenExtraGroupRequest(
    Guid? TopicId,
    [property: JsonConverter(typeof(InstantWithOffsetConverter))] DateTimeOffset? StartsAt,
    int? DurationMinutes, Guid? FacilitatorClinicianId, int? Capacity, string? TimeZone);

public sealed record InvitedMakeupDto(Guid MakeupId, Guid PatientId);

/// <summary>An extra makeup group (a makeup session with its own seats) and the makeups invited to take a seat in it.</summary>
public sealed record ExtraGroupDto(
    Guid SessionId, Guid ProgramId, Guid TopicId, DateTimeOffset StartsAt, DateTimeOffset EndsAt, string TimeZone, Guid FacilitatorClinicianId,
    int Capacity, IReadOnlyList<InvitedMakeupDto> Invited)
{
    public static ExtraGroupDto From(ExtraGroup g) => new(g.SessionId, g.ProgramId, g.TopicId, g.StartsAt, g.EndsAt, g.TimeZone,
        g.FacilitatorClinicianId, g.Capacity, g.Invited.Select(i => new InvitedMakeupDto(i.MakeupId, i.PatientId)).ToList());
}

public static class ExtraGroupsApi
{
    public static RouteGroupBuilder MapExtraGroupsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/scheduling/programs/{programId:guid}").RequireAuthorization().WithTags("Extra groups");
        api.MapPost("/extra-groups", Open).WithName("OpenExtraGroup")
            .RequireStaffRole(StaffRoles.Coordinator, StaffRoles.Admin)
            .Idempotent()
            .AuditsPatientData("scheduling.extraGroup")
            .WithSummary("Opens an extra makeup group for a topic and offers a seat to every patient whose makeup for a missed session of it is open");
        return api;
    }

    static async Task<Results<Created<ExtraGroupDto>, ValidationProblem, ProblemHttpResult>> Open(
        Guid programId, OpenExtraGroupRequest request, ClinicContext clinic, ExtraGroups groups, IOptions<SchedulingOptions> options,
        TimeProvider clock, CancellationToken ct)
    {
        var proposal = new ExtraGroupProposal(request.TopicId, request.StartsAt, request.DurationMinutes, request.FacilitatorClinicianId,
            request.Capacity, request.TimeZone);
        if (!NewExtraGroup.TryCreate(proposal, clock.GetUtcNow(), out var group, out var errors, options.Value.MinimumSessionMinutes))
            return TypedResults.ValidationProblem(errors.ToProblemErrors());
        return await groups.Open(clinic.ClinicId, programId, group, ct) switch
        {
            ({ } opened, _) => TypedResults.Created($"/api/scheduling/sessions/{opened.SessionId}", ExtraGroupDto.From(opened)),
            (_, { } error) => FieldErrors.Problem(error),
            _ => UnknownResource.Problem("program")
        };
    }
}
