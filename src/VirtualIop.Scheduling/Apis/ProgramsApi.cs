using Microsoft.AspNetCore.Http.HttpResults;
using VirtualIop.BuildingBlocks.Auth;
using VirtualIop.BuildingBlocks.Http.Idempotency;
using VirtualIop.Scheduling.Data;
using VirtualIop.Scheduling.Domain;

namespace VirtualIop.Scheduling.Apis;

public static class ProgramsApi
{
    public static RouteGroupBuilder MapProgramsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/scheduling/programs").RequireAuthorization().WithTags("Programs");
        api.MapPost("/", CreateProgram).WithName("CreateProgram").WithSummary("Creates an IOP track with its curriculum of topics and, optionally, its ordered phases (each a set of topics)")
            .Idempotent();
        api.MapGet("/{id:guid}", GetProgram).WithName("GetProgram").WithSummary("One of the clinic's programs with its curriculum and phases");
        return api;
    }

    static async Task<Results<Created<ProgramDto>, ValidationProblem>> CreateProgram(
        CreateProgramRequest request, ClinicContext clinic, Programs programs, CancellationToken ct)
    {
        var proposal = new ProgramProposal(request.Name, request.Topics?.Select(t => t is null ? null : new TopicProposal(t.Title, t.Kind)).ToList(),
            request.Phases?.Select(p => p is null ? null : new PhaseProposal(p.Name, p.Topics)).ToList());
        if (!NewProgram.TryCreate(proposal, out var program, out var errors)) return TypedResults.ValidationProblem(errors.ToProblemErrors());
        var stored = await programs.Create(clinic.ClinicId, program, ct);
        return TypedResults.Created($"/api/scheduling/programs/{stored.Id}", ProgramDto.From(stored));
    }

    static async Task<Results<Ok<ProgramDto>, NotFound>> GetProgram(Guid id, ClinicContext clinic, Programs programs, CancellationToken ct) =>
        await programs.Find(clinic.ClinicId, id, ct) is { } program ? TypedResults.Ok(ProgramDto.From(program)) : TypedResults.NotFound();
}
