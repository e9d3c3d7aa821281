using System.Security;
using Microsoft.AspNetCore.Http.Extensions;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using VirtualIop.Notification.Channels.Sms;
using VirtualIop.Notification.Data;
using VirtualIop.Notification.Domain;
using VirtualIop.Notification.Extensions;

namespace VirtualIop.Notification.Apis;

/// <summary>
/// Texts patients send back, as the SMS provider posts them (Twilio-compatible form fields From, To, Body), on one
/// URL per clinic. The provider signs each call; the answer is TwiML, whose message the provider texts back.
/// Logs name the clinic and the outcome, never the number or the text.
/// </summary>
public static class InboundSmsApi
{
    public const string SignatureHeader = "X-Twilio-Signature";

    public static RouteGroupBuilder MapInboundSmsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/notification/sms").AllowAnonymous().WithTags("Inbound SMS");
        api.MapPost("/inbound/{clinicId:guid}", ReceiveSms).WithName("ReceiveSms")
            .WithSummary("Provider webhook for texts from patients: STOP, START, HELP, and C or N in answer to a reminder")
            .DisableAntiforgery();
        return api;
    }

    static async Task<Results<ContentHttpResult, ProblemHttpResult>> ReceiveSms(
        Guid clinicId, HttpRequest request, Contacts contacts, SessionReplies replies, IOptions<SmsOptions> sms,
        IOptions<NotificationOptions> notification, ILoggerFactory loggers, CancellationToken ct)
    {
        var logger = loggers.CreateLogger(typeof(InboundSmsApi));
        if (!request.HasFormContentType)
            return TypedResults.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Inbound texts are posted as a form.");
        var form = await request.ReadFormAsync(ct);
        var fields = form.Select(f => new KeyValuePair<string, string>(f.Key, f.Value.ToString())).ToList();
        var authToken = sms.Value.AuthToken;
        if (string.IsNullOrEmpty(authToken) || !InboundSmsSignature.IsValid(authToken, SignedUrl(request, sms.Value), fields, request.Headers[SignatureHeader]))
        {
            logger.LogWarning("Inbound SMS webhook for clinic {ClinicId} refused: bad or missing signature", clinicId);
            return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "The webhook signature is missing or does not match.",
                extensions: new Dictionary<string, object?> { ["header"] = SignatureHeader });
        }

        var from = form["From"].ToString().Trim();
        var command = InboundSmsKeywords.Classify(form["Body"]);
        var patients = command switch
        {
            InboundSmsCommand.Stop => await contacts.SetSmsOptOutByPhone(clinicId, from, optedOut: true, ct),
            InboundSmsCommand.Start => await contacts.SetSmsOptOutByPhone(clinicId, from, optedOut: false, ct),
            _ => await contacts.FindByPhone(clinicId, from, ct)
        };
        if (patients.Count == 0)
        {
            logger.LogInformation("Inbound SMS for clinic {ClinicId} from an unknown number ignored", clinicId);
            return TwiML(null);
        }

        logger.LogInformation("Inbound SMS for clinic {ClinicId}: {Command} from {Patients} patient(s)", clinicId, command, patients.Count);
        if (command == InboundSmsCommand.Other) return TwiML(null);
        var portal = notification.Value.PatientPortalUrl.TrimEnd('/');
        if (command is InboundSmsCommand.Confirm or InboundSmsCommand.Decline)
            return TwiML(await AnswerReminder(clinicId, from, command == InboundSmsCommand.Decline, portal, replies, logger, ct));
        return TwiML(MessageTemplates.SmsReply(command, patients[0].Language, $"{portal}/help"));
    }

    /// <summary>C or N: recorded against the patient's next reminded session; the answer gives its time and a link, nothing more.</summary>
    static async Task<string> AnswerReminder(Guid clinicId, string from, bool decline, string portal, SessionReplies replies, ILogger logger,
        CancellationToken ct)
    {
        var result = await replies.Record(clinicId, from, decline, ct);
        if (result is not { SessionId: { } sessionId, StartsAt: { } startsAt })
        {
            logger.LogInformation("Inbound SMS for clinic {ClinicId}: no upcoming reminded session to answer for", clinicId);
            return MessageTemplates.NoSessionReply(result.Language, $"{portal}/help");
        }
        logger.LogInformation("Inbound SMS for clinic {ClinicId}: session {SessionId} {Reply} by patient {PatientId} (changed: {Changed})",
            clinicId, sessionId, result.Declined ? "declined" : "confirmed", result.PatientId, result.Changed);
        var zone = TimeZoneInfo.TryFindSystemTimeZoneById(result.TimeZone ?? "", out var found) ? found : TimeZoneInfo.Utc;
        var facts = new MessageFacts(MessageTemplates.DescribeSessionTime(startsAt, zone, result.Language),
            result.Declined ? $"{portal}/sessions/{sessionId}/makeup" : $"{portal}/sessions/{sessionId}/join");
        return MessageTemplates.SmsReply(result.Declined ? InboundSmsCommand.Decline : InboundSmsCommand.Confirm, result.Language, facts);
    }

    static string SignedUrl(HttpRequest request, SmsOptions options) =>
        options.PublicBaseUrl is { Length: > 0 } publicBase
            ? publicBase.TrimEnd('/') + request.PathBase + request.Path + request.QueryString
            : request.GetEncodedUrl();

    static ContentHttpResult TwiML(string? reply) => TypedResults.Content(
        reply is null
            ? """<?xml version="1.0" encoding="UTF-8"?><Response/>"""
            : $"""<?xml version="1.0" encoding="UTF-8"?><Response><Message>{SecurityElement.Escape(reply)}</Message></Response>""",
        "text/xml");
}
