using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using VirtualIop.BuildingBlocks.Http;
using VirtualIop.Scheduling.Data;
using VirtualIop.Scheduling.Domain;
using VirtualIop.Scheduling.Extensions;

namespace VirtualIop.Scheduling.Apis;

/// <summary>
/// The video platform reports watching progress here, one URL per clinic. It holds no partner token, so the call is
/// anonymous and authenticated by its signature with that clinic's secret instead (<see cref="WebhookSignature"/>): a
/// missing, wrong or stale signature, or a clinic without a secret, is refused before anything is read, and a replayed
/// delivery id changes nothing. Logs name the clinic and the outcome only.
/// </summary>
public static class RecordingWebhookApi
{
    const int MaxBodyBytes = 4096;

    public static RouteGroupBuilder MapRecordingWebhookApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/scheduling/webhooks").AllowAnonymous().WithTags("Webhooks");
        api.MapPost("/recordings/{clinicId:guid}", ReceiveProgress).WithName("ReceiveRecordingProgress")
            .WithSummary("Video platform webhook: minutes of a makeup recording watched (HMAC-SHA256 signed)");
        return api;
    }

    static async Task<Results<Ok<MakeupDto>, ValidationProblem, NotFound, ProblemHttpResult>> ReceiveProgress(
        Guid clinicId, HttpRequest request, Makeups makeups, IOptions<SchedulingOptions> options, TimeProvider clock, ILoggerFactory loggers,
        CancellationToken ct)
    {
        var logger = loggers.CreateLogger(typeof(RecordingWebhookApi));
        var signed = await ClinicWebhooks.ReadSigned(request, clinicId, options.Value.RecordingWebhook, clock.GetUtcNow(), MaxBodyBytes, ct);
        if (signed.Refusal is { } refusal)
        {
            logger.LogWarning("Recording webhook for clinic {ClinicId} refused: {Why}", clinicId, signed.Why);
            return refusal;
        }
        var parseErrors = new ValidationErrors();
        if (!ClinicWebhooks.TryParse<RecordingWebhookPayload>(signed.Body!, parseErrors, out var payload))
            return TypedResults.ValidationProblem(parseErrors.ToDictionary());
        var errors = new List<FieldError>();
        if (string.IsNullOrWhiteSpace(payload?.EventId) || payload.EventId.Length > 200) errors.Add(new("eventId", "The delivery id (1 to 200 characters) is required."));
        if (payload?.MakeupId is null || payload.MakeupId == Guid.Empty) errors.Add(new("makeupId", "The makeup id is required."));
        if (payload?.MinutesWatched is not { } minutes || minutes is < 0 or > MakeupsApi.MaxWatchMinutes)
            errors.Add(new("minutesWatched", $"Minutes watched are 0 to {MakeupsApi.MaxWatchMinutes}."));
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors.ToProblemErrors());

        var (result, replayed) = await makeups.ReportWatching(clinicId, payload!.MakeupId!.Value, payload.MinutesWatched!.Value, payload.EventId, ct);
        logger.LogInformation("Recording webhook for clinic {ClinicId}: {Outcome}", clinicId,
            replayed ? "replay ignored" : result.Refusal?.ToString() ?? "applied");
        if (result.Makeup is { } makeup) return TypedResults.Ok(MakeupDto.From(makeup));
        return result.Refusal == MakeupRefusal.NotFound ? TypedResults.NotFound() : MakeupsApi.Conflict(result.Refusal!.Value);
    }
}
