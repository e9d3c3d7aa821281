using System.Globalization;

namespace VirtualIop.Notification.Domain;

/// <summary>What a message may say about its session: when it starts (already in the patient's local time) and where to go.</summary>
public sealed record MessageFacts(string SessionTime, string Link);

public sealed record RenderedMessage(string Subject, string Body);

/// <summary>
/// The patient-facing texts, in English and Spanish. They say when and where, never what the session is about
/// (no diagnosis, no program or session kind), and a missed session is met with support, never with blame.
/// </summary>
public static class MessageTemplates
{
    const string SessionTime = "{{sessionTime}}";
    const string Link = "{{link}}";

    static readonly IReadOnlyDictionary<(Language, DeliveryKind), (string Subject, string Body)> Templates = new Dictionary<(Language, DeliveryKind), (string, string)>
    {
        [(Language.En, DeliveryKind.Reminder)] = (
            "Reminder: your session on " + SessionTime,
            $"""
            Hello,

            This is a friendly reminder that your next session starts on {SessionTime}.

            You can join here when it is time: {Link}

            If you can't make it, that's okay. Let your care team know through the same link and they will help you find another time.

            We look forward to seeing you.
            VirtualIop
            """),
        [(Language.En, DeliveryKind.JoinAlert)] = (
            "Your session starts soon",
            $"""
            Hello,

            Your session starts on {SessionTime}, in a few minutes.

            Join here: {Link}

            See you there.
            VirtualIop
            """),
        [(Language.En, DeliveryKind.MissedSession)] = (
            "We missed you - here is how to catch up",
            $"""
            Hello,

            We missed you at your session on {SessionTime}. Life gets busy, and that's okay.

            You can catch up on what was covered, and pick a makeup time if you'd like, here: {Link}

            If something is getting in the way, your care team is here to help. Just reach out through the same link.

            Take care,
            VirtualIop
            """),
        [(Language.En, DeliveryKind.SessionCancelled)] = (
            "Your session on " + SessionTime + " is cancelled",
            $"""
            Hello,

            Your session on {SessionTime} has been cancelled. There is nothing you need to do.

            Your care team will share the next time with you here: {Link}

            Take care,
            VirtualIop
            """),
        [(Language.Es, DeliveryKind.Reminder)] = (
            "Recordatorio: su sesión del " + SessionTime,
            $"""
            Hola:

            Le recordamos que su próxima sesión empieza el {SessionTime}.

            Cuando sea la hora, puede unirse aquí: {Link}

            Si no puede asistir, no pasa nada. Avise a su equipo de cuidado con el mismo enlace y le ayudarán a encontrar otro momento.

            Esperamos verle pronto.
            VirtualIop
            """),
        [(Language.Es, DeliveryKind.JoinAlert)] = (
            "Su sesión empieza pronto",
            $"""
            Hola:

            Su sesión empieza el {SessionTime}, dentro de unos minutos.

            Entre aquí: {Link}

            Nos vemos enseguida.
            VirtualIop
            """),
        [(Language.Es, DeliveryKind.MissedSession)] = (
            "Le echamos de menos - así puede ponerse al día",
            $"""
            Hola:

            Le echamos de menos en su sesión del {SessionTime}. A veces la vida se complica, y está bien.

            Puede ponerse al día con lo que se vio, y elegir otra sesión si lo desea, aquí: {Link}

            Si algo le está dificultando venir, su equipo de cuidado está para ayudarle. Escríbanos con el mismo enlace.

            Un saludo,
            VirtualIop
            """),
        [(Language.Es, DeliveryKind.SessionCancelled)] = (
            "Su sesión del " + SessionTime + " se ha cancelado",
            $"""
            Hola:

            Su sesión del {SessionTime} se ha cancelado. No tiene que hacer nada.

            Su equipo de cuidado le indicará la próxima fecha aquí: {Link}

            Un saludo,
            VirtualIop
            """)
    };

    /// <summary>Texts and push notifications: a time and a link, nothing else, so a glance at a lock screen reveals nothing.</summary>
    static readonly IReadOnlyDictionary<(Language, DeliveryKind), string> ShortTemplates = new Dictionary<(Language, DeliveryKind), string>
    {
        [(Language.En, DeliveryKind.Reminder)] = $"VirtualIop reminder: {SessionTime}. Join: {Link}",
        [(Language.En, DeliveryKind.JoinAlert)] = $"VirtualIop: your session starts soon ({SessionTime}). Join now: {Link}",
        [(Language.En, DeliveryKind.MissedSession)] = $"VirtualIop: we missed you on {SessionTime}. Catch up when you're ready: {Link}",
        [(Language.En, DeliveryKind.SessionCancelled)] = $"VirtualIop: your session on {SessionTime} is cancelled. Details: {Link}",
        [(Language.Es, DeliveryKind.SessionCancelled)] = $"VirtualIop: su sesión del {SessionTime} se ha cancelado. Detalles: {Link}",
        [(Language.Es, DeliveryKind.Reminder)] = $"Recordatorio de VirtualIop: {SessionTime}. Entrar: {Link}",
        [(Language.Es, DeliveryKind.JoinAlert)] = $"VirtualIop: su sesión empieza pronto ({SessionTime}). Entre ya: {Link}",
        [(Language.Es, DeliveryKind.MissedSession)] = $"VirtualIop: le echamos de menos el {SessionTime}. Póngase al día cuando quiera: {Link}"
    };

    static readonly IReadOnlyDictionary<(Language, InboundSmsCommand), string> SmsReplies = new Dictionary<(Language, InboundSmsCommand), string>
    {
        [(Language.En, InboundSmsCommand.Stop)] = "VirtualIop: you will no longer get text messages from us. Reply START to get them again.",
        [(Language.En, InboundSmsCommand.Start)] = "VirtualIop: text messages are back on. Reply STOP to stop them, HELP for help.",
        [(Language.En, InboundSmsCommand.Help)] = $"VirtualIop session reminders. For help, contact your care team: {Link} Reply STOP to opt out. Msg & data rates may apply.",
        [(Language.Es, InboundSmsCommand.Stop)] = "VirtualIop: ya no recibirá mensajes de texto. Responda START para volver a recibirlos.",
        [(Language.Es, InboundSmsCommand.Start)] = "VirtualIop: vuelve a recibir mensajes de texto. Responda STOP para dejarlos, HELP para ayuda.",
        [(Language.Es, InboundSmsCommand.Help)] = $"Recordatorios de sesiones de VirtualIop. Para ayuda, contacte a su equipo de cuidado: {Link} Responda STOP para darse de baja."
    };

    public static RenderedMessage Render(DeliveryKind kind, MessageFacts facts, Language language = Language.En)
    {
        var (subject, body) = Templates[(language, kind)];
        return new RenderedMessage(Fill(subject, facts), Fill(body, facts));
    }

    /// <summary>The text of an SMS or a push notification: when and where, no PHI.</summary>
    public static string RenderShort(DeliveryKind kind, MessageFacts facts, Language language = Language.En) =>
        Fill(ShortTemplates[(language, kind)], facts);

    /// <summary>The answer to a STOP, START or HELP text; the link is the only variable part, so it carries no PHI.</summary>
    public static string SmsReply(InboundSmsCommand command, Language language, string helpLink) =>
        SmsReplies.TryGetValue((language, command), out var text)
            ? Fill(text, new MessageFacts("", helpLink))
            : throw new ArgumentOutOfRangeException(nameof(command), command, "Only STOP, START and HELP are answered.");

    /// <summary>"Tuesday, 1 December 2026 at 18:00 (America/New_York)": the instant in the given time zone, in the patient's language.</summary>
    public static string DescribeSessionTime(DateTimeOffset startsAt, TimeZoneInfo zone, Language language = Language.En)
    {
        var local = TimeZoneInfo.ConvertTime(startsAt, zone);
        var text = language switch
        {
            Language.Es => local.ToString("dddd, d 'de' MMMM 'de' yyyy 'a las' HH:mm", Languages.Culture(language)),
            _ => local.ToString("dddd, d MMMM yyyy 'at' HH:mm", CultureInfo.InvariantCulture)
        };
        return text + $" ({zone.Id})";
    }

    static string Fill(string template, MessageFacts facts)
    {
        var text = template.Replace(SessionTime, facts.SessionTime, StringComparison.Ordinal)
                           .Replace(Link, facts.Link, StringComparison.Ordinal);
        if (text.Contains("{{", StringComparison.Ordinal))
            throw new InvalidOperationException("A message template has a placeholder that nothing fills.");
        return text;
    }
}
