using System.Security;
using System.Text;
using Microsoft.AspNetCore.Http.Extensions;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;
using VirtualIop.BuildingBlocks.Http;
using VirtualIop.Notification.Channels.Sms;
using VirtualIop.Notification.Data;
using VirtualIop.Notification.Domain;
using VirtualIop.Notification.Extensions;

namespace VirtualIop.Notification.Apis;

/// <summary>
/// Texts patients send back, as the SMS provider posts them (Twilio-compatible form fields MessageSid, From, To, Body),
/// on one URL per clinic. The provider signs each call: an unsigned call is refused before its body is read, and a body
/// over <see cref="MaxBodyBytes"/> is refused without reading the rest; nothing is looked up before the signature
/// holds. Each text is acted on once, by its MessageSid, so a retried or replayed call changes nothing and is answered
/// with an empty TwiML. The answer is TwiML, whose message the provider texts back.
/// Logs name the clinic, the message id and the outcome, never the number or the text.
/// </summary>
public static class InboundSmsApi
{
    public const string SignatureHeader = "X-Twilio-Signature";

    /// <summary>The largest form a provider posts (a text is at most 1,600 characters, with a few dozen short fields).</summary>
    public const int MaxBodyBytes = 16 * 1024;

    public static RouteGroupBuilder MapInboundSmsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/notification/sms").AllowAnonymous().WithTags("Inbound SMS");
        api.MapPost("/inbound/{clinicId:guid}", ReceiveSms).WithName("ReceiveSms")
            .WithSummary("Provider webhook for texts from patients: STOP, START, HELP, C or N in answer to a reminder, and 1-6 for the reason after an N")
            .DisableAntiforgery();
        return api;
    }

    static async Task<Results<ContentHttpResult, ProblemHttpResult, ValidationProblem>> ReceiveSms(
        Guid clinicId, HttpRequest request, Contacts contacts, SessionReplies replies, ReasonReplies reasons, InboundTexts texts, IOptions<SmsOptions> sms,
        IOptions<NotificationOptions> notification, PatientPortals portals, PersonalLinks links, ILoggerFactory loggers, CancellationToken ct)
    {
        var logger = loggers.CreateLogger(typeof(InboundSmsApi));
        var authToken = sms.Value.AuthToken;
        var signature = request.Headers[SignatureHeader].ToString();
        if (string.IsNullOrEmpty(authToken) || string.IsNullOrEmpty(signature)) return Unsigned(clinicId, logger);
        if (!request.HasFormContentType)
            return TypedResults.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Inbound texts are posted as a form.");
        if (await RequestBodies.ReadAtMost(request, MaxBodyBytes, ct) is not { } body)
            return TypedResults.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: $"An inbound text is at most {MaxBodyBytes} bytes.");
        Dictionary<string, StringValues> form;
        try
        {
            form = new FormReader(Encoding.UTF8.GetString(body)).ReadForm();
        }
        catch (InvalidDataException)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "The form cannot be read.");
        }
        var fields = form.Select(f => new KeyValuePair<string, string>(f.Key, f.Value.ToString())).ToList();
        if (!InboundSmsSignature.IsValid(authToken, SignedUrl(request, sms.Value), fields, signature)) return Unsigned(clinicId, logger);

        var messageId = form.GetValueOrDefault("MessageSid").ToString().Trim();
        var from = form.GetValueOrDefault("From").ToString().Trim();
        var errors = new ValidationErrors()
            .Require(messageId.Length > 0, "MessageSid", "The provider's message id is required.")
            .RequireLength("MessageSid", messageId, InputBounds.MaxShortText)
            .Require(from.Length > 0, "From", "The sender's number is required.")
            .RequireLength("From", from, InputBounds.MaxShortText);
        if (errors.Any) return TypedResults.ValidationProblem(errors.ToDictionary());

        var text = form.GetValueOrDefault("Body").ToString();
        var command = InboundSmsKeywords.Classify(text);
        var patients = command switch
        {
            InboundSmsCommand.Stop => await contacts.SetSmsOptOutByPhone(clinicId, messageId, from, optedOut: true, ct),
            InboundSmsCommand.Start => await contacts.SetSmsOptOutByPhone(clinicId, messageId, from, optedOut: false, ct),
            _ => await contacts.FindByPhone(clinicId, from, ct)
        };
        if (patients is null) return AlreadyTaken(clinicId, messageId, logger);
        if (patients.Count == 0)
        {
            if (command is not (InboundSmsCommand.Stop or InboundSmsCommand.Start)) await texts.Record(clinicId, messageId, ct);
            logger.LogInformation("Inbound SMS {MessageId} for clinic {ClinicId} from an unknown number ignored", messageId, clinicId);
            return TwiML();
        }

        logger.LogInformation("Inbound SMS {MessageId} for clinic {ClinicId}: {Command} from {Patients} patient(s)", messageId, clinicId, command, patients.Count);
        var portal = await portals.Find(clinicId, ct) ?? notification.Value.PatientPortalUrl;
        // A number shared by several patients gets the portal itself: a personal link would open one patient's pages to another.
        var onlyPatient = patients.Count == 1 ? patients[0].PatientId : (Guid?)null;
        if (command is InboundSmsCommand.Confirm or InboundSmsCommand.Decline)
        {
            if (await replies.Record(clinicId, messageId, from, command == InboundSmsCommand.Decline, ct) is not { } reply)
                return AlreadyTaken(clinicId, messageId, logger);
            // A decline stands: a later C is answered as the decline it still is, so the page follows the reply, not the text.
            var page = reply.SessionId is null
                ? PatientLinks.PagePath(PatientPage.Sessions)
                : PatientLinks.PageFor(reply.Declined ? InboundSmsCommand.Decline : InboundSmsCommand.Confirm);
            return TwiML(AnswerReminder(clinicId, reply, await PersonalLink(links, clinicId, reply.PatientId ?? onlyPatient, portal, page, ct), logger),
                reply.AskReason ? MessageTemplates.ReasonQuestion(reply.Language) : null);
        }
        if (command is InboundSmsCommand.Reason)
        {
            if (await reasons.Record(clinicId, messageId, from, AbsenceReasonMenu.Choice(text)!, ct) is not { } answer)
                return AlreadyTaken(clinicId, messageId, logger);
            var menuHelpLink = answer.Answered ? "" : await PersonalLink(links, clinicId, onlyPatient, portal, PatientLinks.PageFor(InboundSmsCommand.Help), ct);
            return TwiML(AnswerReason(clinicId, answer, menuHelpLink, logger));
        }
        if (command is InboundSmsCommand.Help or InboundSmsCommand.Other && !await texts.Record(clinicId, messageId, ct))
            return AlreadyTaken(clinicId, messageId, logger);
        if (command == InboundSmsCommand.Other) return TwiML();
        // Only the answer to HELP carries a link; STOP and START are answered with their confirmation alone.
        var helpLink = command == InboundSmsCommand.Help ? await PersonalLink(links, clinicId, onlyPatient, portal, PatientLinks.PageFor(command), ct) : "";
        return TwiML(MessageTemplates.SmsReply(command, patients[0].Language, helpLink));
    }

    /// <summary>The patient's own link to a page, or the portal itself when the text cannot be tied to one patient.</summary>
    static async Task<string> PersonalLink(PersonalLinks links, Guid clinicId, Guid? patientId, string portal, string page, CancellationToken ct) =>
        patientId is { } patient ? PatientLinks.Build(portal, await links.Mint(clinicId, patient, ct), page) : portal.TrimEnd('/');

    static ProblemHttpResult Unsigned(Guid clinicId, ILogger logger)
    {
        logger.LogWarning("Inbound SMS webhook for clinic {ClinicId} refused: bad or missing signature", clinicId);
        return TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "The webhook signature is missing or does not match.",
            extensions: new Dictionary<string, object?> { ["header"] = SignatureHeader });
    }

    /// <summary>A retried or replayed text: answered with an empty TwiML, so the provider stops and nothing is texted twice.</summary>
    static ContentHttpResult AlreadyTaken(Guid clinicId, string messageId, ILogger logger)
    {
        logger.LogInformation("Inbound SMS {MessageId} for clinic {ClinicId} was taken before; nothing done", messageId, clinicId);
        return TwiML();
    }

    /// <summary>C or N: recorded against the patient's next reminded session; the answer gives its time and a link, nothing more.</summary>
    static string AnswerReminder(Guid clinicId, SessionReplyResult result, string link, ILogger logger)
    {
        if (result is not { SessionId: { } sessionId, StartsAt: { } startsAt })
        {
            logger.LogInformation("Inbound SMS for clinic {ClinicId}: no upcoming reminded session to answer for", clinicId);
            return MessageTemplates.NoSessionReply(result.Language, link);
        }
        logger.LogInformation("Inbound SMS for clinic {ClinicId}: session {SessionId} {Reply} by patient {PatientId} (changed: {Changed})",
            clinicId, sessionId, result.Declined ? "declined" : "confirmed", result.PatientId, result.Changed);
        var zone = TimeZoneInfo.TryFindSystemTimeZoneById(result.TimeZone ?? "", out var found) ? found : TimeZoneInfo.Utc;
        var facts = new MessageFacts(MessageTemplates.DescribeSessionTime(startsAt, zone, result.Language), link);
        return MessageTemplates.SmsReply(result.Declined ? InboundSmsCommand.Decline : InboundSmsCommand.Confirm, result.Language, facts);
    }

    /// <summary>A number from the reason menu: thanks when it answered the open question, else where to get help (nothing recorded).</summary>
    static string AnswerReason(Guid clinicId, ReasonReplyResult answer, string helpLink, ILogger logger)
    {
        if (!answer.Answered)
        {
            logger.LogInformation("Inbound SMS for clinic {ClinicId}: a reason number with no open reason question; nothing recorded", clinicId);
            return MessageTemplates.NoQuestionReply(answer.Language, helpLink);
        }
        logger.LogInformation("Inbound SMS for clinic {ClinicId}: reason given for session {SessionId} by patient {PatientId}", clinicId, answer.SessionId,
            answer.PatientId);
        return MessageTemplates.ReasonThanksReply(answer.Language);
    }

    static string SignedUrl(HttpRequest request, SmsOptions options) =>
        options.PublicBaseUrl is { Length: > 0 } publicBase
            ? publicBase.TrimEnd('/') + request.PathBase + request.Path + request.QueryString
            : request.GetEncodedUrl();

    /// <summary>The answer texted back: each message given is one text, in order; none gives an empty response.</summary>
    static ContentHttpResult TwiML(params string?[] replies)
    {
        var messages = string.Concat(replies.OfType<string>().Select(r => $"<Message>{SecurityElement.Escape(r)}</Message>"));
        return TypedResults.Content(
            messages.Length == 0
                ? """<?xml version="1.0" encoding="UTF-8"?><Response/>"""
                : $"""<?xml version="1.0" encoding="UTF-8"?><Response>{messages}</Response>""",
            "text/xml");
    }
}
