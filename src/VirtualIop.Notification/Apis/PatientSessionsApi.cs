using Microsoft.AspNetCore.Http.HttpResults;
using VirtualIop.BuildingBlocks.Audit;
using VirtualIop.BuildingBlocks.Auth;
using VirtualIop.BuildingBlocks.Http;
using VirtualIop.Notification.Data;

namespace VirtualIop.Notification.Apis;

/// <summary>A patient's answers about their own sessions, from their own page: the web twin of a C to a reminder.</summary>
public static class PatientSessionsApi
{
    public static RouteGroupBuilder MapPatientSessionsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/notification/patients/{patientId:guid}/sessions").RequireAuthorization().WithTags("Session answers");
        api.MapPost("/{sessionId:guid}/confirmation", Confirm).WithName("ConfirmSession").AllowPatientSelf()
            .AuditsPatientData("notification.sessionReply")
            .WithSummary("The patient confirms they will attend an upcoming session (204); a decline they gave earlier stands (409)");
        return api;
    }

    static async Task<Results<NoContent, ProblemHttpResult>> Confirm(Guid patientId, Guid sessionId, ClinicContext clinic, SessionReplies replies,
        CancellationToken ct) =>
        await replies.Confirm(clinic.ClinicId, patientId, sessionId, ct) switch
        {
            ConfirmationResult.Confirmed => TypedResults.NoContent(),
            ConfirmationResult.Started => TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "The session has started",
                detail: "Attendance is confirmed only before a session starts."),
            ConfirmationResult.Declined => TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Already answered",
                detail: "The patient already said they cannot attend this session; that answer stands. Withdraw the absence notice to attend after all."),
            _ => UnknownResource.Problem("session", "Notification")
        };
}
