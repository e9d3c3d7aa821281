using System.Security.Cryptography;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using VirtualIop.Attendance.Data;
using VirtualIop.Attendance.Domain;
using VirtualIop.Attendance.Extensions;
using VirtualIop.BuildingBlocks.Http;

namespace VirtualIop.Attendance.Apis;

/// <summary>
/// A webhook from the telehealth platform. participantRole: patient or clinician (a facilitator or stand-in, never a
/// patient no-show); kind: joined or left; occurredAt: when it happened on the platform; eventId: the platform's id
/// for the event (a redelivery with the same id and body is acknowledged without a second effect).
/// </summary>
public sealed record TelehealthEventRequest(string? EventId, Guid? SessionId, Guid? ParticipantId, string? ParticipantRole, string? Kind,
    DateTimeOffset? OccurredAt);

/// <param name="Status">
/// recorded; held (202) for a session Attendance has not heard of yet: the presence is kept and applies when the session
/// comes; or duplicate for an event taken in before.
/// </param>
public sealed record TelehealthReceiptDto(string EventId, string Status);

public static class TelehealthWebhooksApi
{
    const int MaxBodyBytes = 16 * 1024;
    const int MaxEventIdLength = 200;

    public static RouteGroupBuilder MapTelehealthWebhooksApi(this IEndpointRouteBuilder app)
    {
        // No partner token: the platform authenticates with the clinic's HMAC signature instead (WebhookSignature).
        var api = app.MapGroup("/api/attendance/webhooks").AllowAnonymous().WithTags("Webhooks");
        api.MapPost("/telehealth/{clinicId:guid}", Receive).WithName("ReceiveTelehealthEvent")
            .WithSummary("A participant joined or left a session's video room; signed with the clinic's secret (HMAC-SHA256 over timestamp, method, path and body)");
        return api;
    }

    static async Task<Results<Ok<TelehealthReceiptDto>, Accepted<TelehealthReceiptDto>, ValidationProblem, ProblemHttpResult>> Receive(
        Guid clinicId, HttpRequest request, TelehealthWebhooks webhooks, IOptions<TelehealthOptions> options, TimeProvider clock, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var settings = options.Value;
        var signed = await ClinicWebhooks.ReadSigned(request, clinicId, settings, now, MaxBodyBytes, ct);
        if (signed.Refusal is { } refusal) return refusal;
        var body = signed.Body!;

        var errors = new ValidationErrors();
        if (!ClinicWebhooks.TryParse<TelehealthEventRequest>(body, errors, out var e)) return TypedResults.ValidationProblem(errors.ToDictionary());
        if (e is null)
        {
            errors.Add("body", "The request body must be a JSON object.");
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        ParticipantRole role = default;
        PresenceChange change = default;
        errors.Require(!string.IsNullOrWhiteSpace(e.EventId) && e.EventId.Length <= MaxEventIdLength, "eventId",
                $"The event id is required (up to {MaxEventIdLength} characters).")
            .Require(e.SessionId is { } s && s != Guid.Empty, "sessionId", "The session id is required.")
            .Require(e.ParticipantId is { } p && p != Guid.Empty, "participantId", "The participant id is required.")
            .Require(TryParseRole(e.ParticipantRole, out role), "participantRole", "The participant role must be patient or clinician.")
            .Require(TryParseKind(e.Kind, out change), "kind", "The kind must be joined or left.")
            .Require(e.OccurredAt is { } at && at <= now + settings.MaxClockSkew, "occurredAt", "When it happened is required, and not in the future.")
            .RequireWithin("occurredAt", e.OccurredAt);
        if (errors.Any) return TypedResults.ValidationProblem(errors.ToDictionary());

        var telehealthEvent = new TelehealthEvent(e.EventId!, e.SessionId!.Value, e.ParticipantId!.Value, role, change, e.OccurredAt!.Value);
        switch (await webhooks.Record(clinicId, telehealthEvent, SHA256.HashData(body), ct))
        {
            case TelehealthStatus.Held:
                return TypedResults.Accepted((string?)null, new TelehealthReceiptDto(telehealthEvent.EventId, "held"));
            case TelehealthStatus.NotParticipant:
                errors.Add("participantId", "The participant is not a patient of this session.");
                return TypedResults.ValidationProblem(errors.ToDictionary());
            case TelehealthStatus.IsPatient:
                errors.Add("participantRole", "This participant is a patient of the session, not a clinician.");
                return TypedResults.ValidationProblem(errors.ToDictionary());
            case TelehealthStatus.ConflictingReplay:
                return TypedResults.Problem(title: "The event id was already used.",
                    detail: "An event with this id and another body was taken in before; the replay is refused.", statusCode: StatusCodes.Status409Conflict,
                    extensions: new Dictionary<string, object?> { ["field"] = "eventId" });
            case TelehealthStatus.Duplicate:
                return TypedResults.Ok(new TelehealthReceiptDto(telehealthEvent.EventId, "duplicate"));
            default:
                return TypedResults.Ok(new TelehealthReceiptDto(telehealthEvent.EventId, "recorded"));
        }
    }

    static bool TryParseRole(string? value, out ParticipantRole role)
    {
        role = value == "clinician" ? ParticipantRole.Clinician : ParticipantRole.Patient;
        return value is "patient" or "clinician";
    }

    static bool TryParseKind(string? value, out PresenceChange change)
    {
        change = value == "left" ? PresenceChange.Leave : PresenceChange.Join;
        return value is "joined" or "left";
    }
}
