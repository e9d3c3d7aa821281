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

/// <summary>
/// A proposed extra group: the topic, how many patients missed it and still have a makeup open for a seat elsewhere, the
/// first miss, and the next free slot with one of the program's facilitators (null when none is free in the search window).
/// </summary>
public sealed record ExtraGroupProposalDto(Guid TopicId, string TopicTitle, int PatientCount, DateTimeOffset FirstMissedAt, SlotDto? SuggestedSlot)
{
    public static ExtraGroupProposalDto From(SuggestedExtraGroup p) => new(p.TopicId, p.TopicTitle, p.PatientCount, p.FirstMissedAt,
        p.SuggestedSlot is { } slot ? new SlotDto(slot.ClinicianId, slot.StartsAt, slot.EndsAt) : null);
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
        api.MapGet("/extra-group-proposals", Proposals).WithName("ListExtraGroupProposals")
            .RequireStaffRole(StaffRoles.Coordinator, StaffRoles.Admin)
            .AuditsPatientData("scheduling.extraGroupProposals")
            .WithSummary("Topics enough patients missed recently to propose an extra group, with a suggested slot; paged (limit, cursor)");
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

    static async Task<Results<Ok<IReadOnlyList<ExtraGroupProposalDto>>, ValidationProblem, ProblemHttpResult>> Proposals(
        Guid programId, int? limit, string? cursor, ClinicContext clinic, ExtraGroups groups, IOptions<SchedulingOptions> options, HttpContext http,
        CancellationToken ct)
    {
        if (!KeysetPages.TryRead(limit, cursor, out var page, out var pageProblem)) return pageProblem;
        var settings = options.Value.Makeups;
        if (await groups.Proposals(clinic.ClinicId, programId, settings.ExtraGroupThreshold, settings.ExtraGroupWindow, page, ct) is not var (found, next))
            return UnknownResource.Problem("program");
        KeysetPages.Announce(http, next);
        return TypedResults.Ok<IReadOnlyList<ExtraGroupProposalDto>>(found.Select(ExtraGroupProposalDto.From).ToList());
    }
}
