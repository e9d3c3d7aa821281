using Microsoft.AspNetCore.Http.HttpResults;
using VirtualIop.BuildingBlocks.Audit;
using VirtualIop.BuildingBlocks.Auth;
using VirtualIop.BuildingBlocks.Http;
using VirtualIop.BuildingBlocks.Http.Idempotency;
using VirtualIop.Notification.Data;
using VirtualIop.Notification.Domain;

namespace VirtualIop.Notification.Apis;

/// <summary>What the technical check found (each ok, failed or skipped), the session it is about if any, and the patient's own note.</summary>
public sealed record TechnicalHelpRequest(Guid? SessionId, string? Camera, string? Microphone, string? Connection, string? Note);

/// <param name="TicketId">The help-desk ticket opened (or joined, for a session that already has one); null when no help desk is configured.</param>
public sealed record TechnicalHelpDto(Guid RequestId, Guid? TicketId);

public static class TechnicalHelpApi
{
    public const int MaxNoteLength = 500;

    public static RouteHandlerBuilder MapTechnicalHelpApi(this IEndpointRouteBuilder app) =>
        app.MapPost("/api/notification/patients/{patientId:guid}/technical-help", Request).RequireAuthorization().WithTags("Technical help")
            .WithName("RequestTechnicalHelp").AllowPatientSelf()
            .Idempotent()
            .AuditsPatientData("notification.technicalHelp")
            .WithSummary("The patient asks for technical help after the technical check: opens a help-desk ticket with ids and the check's results (202)");

    static async Task<Results<Accepted<TechnicalHelpDto>, ValidationProblem, ProblemHttpResult>> Request(
        Guid patientId, TechnicalHelpRequest request, ClinicContext clinic, TechnicalHelpRequests requests, CancellationToken ct)
    {
        var results = string.Join(", ", TechnicalCheck.Results);
        var errors = new ValidationErrors()
            .Require(request.SessionId != Guid.Empty, "sessionId", "Leave the session out, or name one.")
            .Require(TechnicalCheck.IsResult(request.Camera), "camera", $"One of {results}.")
            .Require(TechnicalCheck.IsResult(request.Microphone), "microphone", $"One of {results}.")
            .Require(TechnicalCheck.IsResult(request.Connection), "connection", $"One of {results}.")
            .Require(request.Note is null || request.Note.Length <= MaxNoteLength, "note", $"A note is at most {MaxNoteLength} characters.");
        if (errors.Any) return TypedResults.ValidationProblem(errors.ToDictionary());

        var check = new TechnicalCheck(request.Camera!, request.Microphone!, request.Connection!);
        var note = string.IsNullOrWhiteSpace(request.Note) ? null : request.Note.Trim();
        return await requests.Request(clinic.ClinicId, patientId, request.SessionId, check, note, ct) is { } taken
            ? TypedResults.Accepted((string?)null, new TechnicalHelpDto(taken.RequestId, taken.TicketId))
            : UnknownResource.Problem("session", "Notification");
    }
}
