using System.Globalization;

namespace VirtualIop.Notification.Domain;

/// <summary>
/// What a message may say: when its session starts (already in the recipient's local time) and where to go; for
/// email only, the makeups on offer, an alert's details and the patient reference; the help desk's contact.
/// </summary>
public sealed record MessageFacts(string SessionTime, string Link)
{
    public string MakeupOptions { get; init; } = "";
    public string HelpDesk { get; init; } = "";
    public string Details { get; init; } = "";
    public string PatientId { get; init; } = "";
}

public sealed record RenderedMessage(string Subject, string Body);

/// <summary>A message's wording with its placeholders; Subject is null for a text message.</summary>
public sealed record TemplateText(string? Subject, string Body);

/// <summary>
/// The patient-facing texts, in English and Spanish. They say when and where, never what the session is about
/// (no diagnosis, no program or session kind), and a missed session is met with support, never with blame.
/// </summary>
public static class MessageTemplates
{
    const string SessionTime = "{{sessionTime}}";
    const string Link = "{{link}}";
    const string MakeupOptions = "{{makeupOptions}}";
    const string HelpDesk = "{{helpDesk}}";
    const string Details = "{{details}}";
    const string PatientId = "{{patientId}}";

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

            {MakeupOptions}

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
        [(Language.En, DeliveryKind.AbsenceAcknowledged)] = (
            "Thank you for letting us know",
            $"""
            Hello,

            Thank you for letting us know you can't make your session on {SessionTime}. That's okay, and telling us helps your care team plan.

            {MakeupOptions}

            You can catch up on what was covered, and pick a makeup time if you'd like, here: {Link}

            Take care,
            VirtualIop
            """),
        [(Language.En, DeliveryKind.TechnicalSupport)] = (
            "Help with joining your sessions",
            $"""
            Hello,

            Thank you for letting us know that technology got in the way of your session on {SessionTime}. That happens, and we can help.

            A few things that often fix it:
            1. Open the join link in an up-to-date browser (Chrome, Edge, Safari or Firefox), or update the app.
            2. Allow the browser to use your camera and microphone when it asks.
            3. Close other apps that use the camera, and move closer to your Wi-Fi router or switch to mobile data.
            4. Restart your device, then open the link a few minutes before the start.

            Still stuck? Our help desk is glad to help: {HelpDesk}

            Step-by-step guides and a test call: {Link}

            Take care,
            VirtualIop
            """),
        [(Language.En, DeliveryKind.AttendanceSupport)] = (
            "We're here to help you keep going",
            $"""
            Hello,

            It looks like it has been harder to make it to your sessions lately. That happens, and you don't have to sort it out alone.

            Your care team would like to hear what would make it easier: another time, help with the technology, or something else.

            You can reach them and see your options here: {Link}

            We're glad you're with us.
            VirtualIop
            """),
        [(Language.En, DeliveryKind.SafetyAlert)] = (
            "Urgent: a patient needs a safety check",
            $"""
            Hello,

            {Details}

            Patient reference: {PatientId}

            Open the patient's record and acknowledge the safety check here: {Link}

            VirtualIop
            """),
        [(Language.Es, DeliveryKind.SafetyAlert)] = (
            "Urgente: un paciente necesita una comprobación de seguridad",
            $"""
            Hola:

            {Details}

            Referencia del paciente: {PatientId}

            Abra el expediente del paciente y confirme la comprobación de seguridad aquí: {Link}

            VirtualIop
            """),
        [(Language.En, DeliveryKind.ClinicianAlert)] = (
            "A patient may need your follow-up",
            $"""
            Hello,

            {Details}

            Patient reference: {PatientId}

            Review the patient's record and plan a follow-up here: {Link}

            VirtualIop
            """),
        [(Language.En, DeliveryKind.WaitlistPromoted)] = (
            "A place opened up for you",
            $"""
            Hello,

            Good news: a place opened up, and you are booked for the session on {SessionTime}.

            Join here when it is time: {Link}

            If this time no longer works for you, let your care team know through the same link.

            VirtualIop
            """),
        [(Language.En, DeliveryKind.MakeupBooked)] = (
            "Your makeup is booked",
            $"""
            Hello,

            Your makeup is booked: {SessionTime}.

            Everything you need is here: {Link}

            Thank you for keeping up with your sessions.
            VirtualIop
            """),
        [(Language.En, DeliveryKind.MakeupOptions)] = (
            "Ways to catch up",
            $"""
            Hello,

            Following up on your session on {SessionTime}:

            {MakeupOptions}

            Choose what suits you here: {Link}

            Take care,
            VirtualIop
            """),
        [(Language.En, DeliveryKind.MakeupReopened)] = (
            "Your makeup can no longer go ahead - your options are open again",
            $"""
            Hello,

            We're sorry: the makeup session you booked for {SessionTime} can no longer go ahead. This is not because of anything you did.

            Your ways to catch up are open again, so you can choose another one when it suits you.

            {MakeupOptions}

            Choose what suits you here: {Link}

            Take care,
            VirtualIop
            """),
        [(Language.Es, DeliveryKind.MakeupReopened)] = (
            "Su sesión de recuperación ya no podrá celebrarse - sus opciones vuelven a estar abiertas",
            $"""
            Hola:

            Lo sentimos: la sesión de recuperación que reservó para el {SessionTime} ya no podrá celebrarse. No se debe a nada que usted haya hecho.

            Sus formas de ponerse al día vuelven a estar disponibles, para que elija otra cuando le venga bien.

            {MakeupOptions}

            Elija lo que mejor le venga aquí: {Link}

            Un saludo,
            VirtualIop
            """),
        [(Language.En, DeliveryKind.SupportUpdate)] = (
            "A note from VirtualIop about someone you support",
            $"""
            Hello,

            You are receiving this because the person you support asked us to keep you informed.

            They were not able to join their session on {SessionTime}. A kind word or a reminder of the next one can make a real difference.

            How you can help: {Link}

            Thank you for being there for them.
            VirtualIop
            """),
        [(Language.Es, DeliveryKind.SupportUpdate)] = (
            "Una nota de VirtualIop sobre alguien a quien usted apoya",
            $"""
            Hola:

            Recibe este mensaje porque la persona a quien usted apoya nos pidió que le mantuviéramos informado.

            No pudo conectarse a su sesión del {SessionTime}. Una palabra amable o recordarle la próxima puede ayudar mucho.

            Cómo puede ayudar: {Link}

            Gracias por estar a su lado.
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

            {MakeupOptions}

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
            """),
        [(Language.Es, DeliveryKind.AbsenceAcknowledged)] = (
            "Gracias por avisarnos",
            $"""
            Hola:

            Gracias por avisarnos de que no puede asistir a su sesión del {SessionTime}. No pasa nada, y avisarnos ayuda a su equipo de cuidado a organizarse.

            {MakeupOptions}

            Puede ponerse al día con lo que se vea, y elegir otra sesión si lo desea, aquí: {Link}

            Un saludo,
            VirtualIop
            """),
        [(Language.Es, DeliveryKind.TechnicalSupport)] = (
            "Ayuda para conectarse a sus sesiones",
            $"""
            Hola:

            Gracias por contarnos que la tecnología le impidió conectarse a su sesión del {SessionTime}. Es algo que pasa, y podemos ayudarle.

            Algunas cosas que suelen resolverlo:
            1. Abra el enlace en un navegador actualizado (Chrome, Edge, Safari o Firefox), o actualice la aplicación.
            2. Permita que el navegador use la cámara y el micrófono cuando lo pida.
            3. Cierre otras aplicaciones que usen la cámara, y acérquese al router wifi o use datos móviles.
            4. Reinicie el dispositivo y abra el enlace unos minutos antes de empezar.

            ¿Sigue sin poder? Nuestro servicio de ayuda le atiende con gusto: {HelpDesk}

            Guías paso a paso y una llamada de prueba: {Link}

            Un saludo,
            VirtualIop
            """),
        [(Language.Es, DeliveryKind.AttendanceSupport)] = (
            "Estamos aquí para ayudarle a seguir",
            $"""
            Hola:

            Parece que últimamente le ha costado más llegar a sus sesiones. Es algo que pasa, y no tiene que resolverlo a solas.

            A su equipo de cuidado le gustaría saber qué se lo pondría más fácil: otro horario, ayuda con la tecnología u otra cosa.

            Puede hablar con ellos y ver sus opciones aquí: {Link}

            Nos alegra que siga con nosotros.
            VirtualIop
            """),
        [(Language.Es, DeliveryKind.ClinicianAlert)] = (
            "Un paciente puede necesitar su seguimiento",
            $"""
            Hola:

            {Details}

            Referencia del paciente: {PatientId}

            Revise la ficha del paciente y planifique un seguimiento aquí: {Link}

            VirtualIop
            """),
        [(Language.Es, DeliveryKind.WaitlistPromoted)] = (
            "Se ha liberado una plaza para usted",
            $"""
            Hola:

            Buenas noticias: se ha liberado una plaza y tiene reservada la sesión del {SessionTime}.

            Cuando sea la hora, entre aquí: {Link}

            Si ese horario ya no le viene bien, avise a su equipo de cuidado con el mismo enlace.

            VirtualIop
            """),
        [(Language.Es, DeliveryKind.MakeupBooked)] = (
            "Su sesión de recuperación está reservada",
            $"""
            Hola:

            Su sesión de recuperación está reservada: {SessionTime}.

            Todo lo que necesita está aquí: {Link}

            Gracias por seguir con sus sesiones.
            VirtualIop
            """),
        [(Language.Es, DeliveryKind.MakeupOptions)] = (
            "Formas de ponerse al día",
            $"""
            Hola:

            Sobre su sesión del {SessionTime}:

            {MakeupOptions}

            Elija lo que mejor le venga aquí: {Link}

            Un saludo,
            VirtualIop
            """),
        [(Language.En, DeliveryKind.CatchUpAssigned)] = (
            "Your catch-up is ready",
            $"""
            Hello,

            Your care team has put together a catch-up for the session you couldn't join. You can go through it whenever suits you.

            You'll find a short summary of the key points, any homework to try, and where to find peer support: {Link}

            There's no rush, and if anything gets in the way, your care team is glad to help through the same link.

            Take care,
            VirtualIop
            """),
        [(Language.Es, DeliveryKind.CatchUpAssigned)] = (
            "Su material para ponerse al día está listo",
            $"""
            Hola:

            Su equipo de cuidado ha preparado un material para ponerse al día con la sesión a la que no pudo asistir. Puede verlo cuando le venga bien.

            Encontrará un breve resumen de los puntos clave, la tarea si la hay y dónde encontrar apoyo entre pares: {Link}

            No hay prisa, y si algo se lo pone difícil, su equipo de cuidado le ayudará con gusto en el mismo enlace.

            Un saludo,
            VirtualIop
            """),
        [(Language.En, DeliveryKind.HomeworkReminder)] = (
            "A gentle reminder: your catch-up homework",
            $"""
            Hello,

            Just a friendly nudge: the homework from your catch-up is due tomorrow. A few minutes may be all it takes.

            Pick up where you left off here: {Link}

            If you'd like a hand or more time, your care team is happy to help through the same link.

            Take care,
            VirtualIop
            """),
        [(Language.Es, DeliveryKind.HomeworkReminder)] = (
            "Un recordatorio amable: su tarea para ponerse al día",
            $"""
            Hola:

            Solo un recordatorio amable: la tarea de su material para ponerse al día vence mañana. Quizá le baste con unos minutos.

            Continúe donde lo dejó aquí: {Link}

            Si quiere ayuda o más tiempo, su equipo de cuidado le ayudará con gusto en el mismo enlace.

            Un saludo,
            VirtualIop
            """)
    };

    /// <summary>Texts and push notifications: a time and a link, nothing else, so a glance at a lock screen reveals nothing.</summary>
    static readonly IReadOnlyDictionary<(Language, DeliveryKind), string> ShortTemplates = new Dictionary<(Language, DeliveryKind), string>
    {
        [(Language.En, DeliveryKind.AbsenceAcknowledged)] = $"VirtualIop: thank you for letting us know about {SessionTime}. Catch up when you're ready: {Link}",
        [(Language.En, DeliveryKind.TechnicalSupport)] = $"VirtualIop: sorry the technology got in the way on {SessionTime}. Help: {HelpDesk} Guides: {Link}",
        [(Language.En, DeliveryKind.AttendanceSupport)] = $"VirtualIop: your care team is here to help you keep going. Reach them: {Link}",
        [(Language.En, DeliveryKind.ClinicianAlert)] = $"VirtualIop: a patient may need your follow-up: {Link}",
        [(Language.En, DeliveryKind.SafetyAlert)] = $"VirtualIop URGENT: a patient needs a safety check now: {Link}",
        [(Language.Es, DeliveryKind.SafetyAlert)] = $"VirtualIop URGENTE: un paciente necesita una comprobación de seguridad ya: {Link}",
        [(Language.En, DeliveryKind.WaitlistPromoted)] = $"VirtualIop: a place opened up for you on {SessionTime}. Details: {Link}",
        [(Language.En, DeliveryKind.MakeupBooked)] = $"VirtualIop: your makeup is booked: {SessionTime}. Details: {Link}",
        [(Language.En, DeliveryKind.MakeupOptions)] = $"VirtualIop: ways to catch up on {SessionTime}: {Link}",
        [(Language.Es, DeliveryKind.AbsenceAcknowledged)] = $"VirtualIop: gracias por avisarnos sobre el {SessionTime}. Póngase al día cuando quiera: {Link}",
        [(Language.Es, DeliveryKind.TechnicalSupport)] = $"VirtualIop: sentimos los problemas técnicos del {SessionTime}. Ayuda: {HelpDesk} Guías: {Link}",
        [(Language.Es, DeliveryKind.AttendanceSupport)] = $"VirtualIop: su equipo de cuidado está para ayudarle a seguir. Contacto: {Link}",
        [(Language.Es, DeliveryKind.ClinicianAlert)] = $"VirtualIop: un paciente puede necesitar su seguimiento: {Link}",
        [(Language.Es, DeliveryKind.WaitlistPromoted)] = $"VirtualIop: se ha liberado una plaza para usted el {SessionTime}. Detalles: {Link}",
        [(Language.Es, DeliveryKind.MakeupBooked)] = $"VirtualIop: su recuperación está reservada: {SessionTime}. Detalles: {Link}",
        [(Language.Es, DeliveryKind.MakeupOptions)] = $"VirtualIop: formas de ponerse al día del {SessionTime}: {Link}",
        [(Language.En, DeliveryKind.MakeupReopened)] = $"VirtualIop: your makeup on {SessionTime} can no longer go ahead. Choose another way to catch up: {Link}",
        [(Language.Es, DeliveryKind.MakeupReopened)] = $"VirtualIop: su recuperación del {SessionTime} ya no podrá celebrarse. Elija otra forma de ponerse al día: {Link}",
        [(Language.En, DeliveryKind.SupportUpdate)] = $"VirtualIop: the person you support missed their session on {SessionTime}. How to help: {Link}",
        [(Language.Es, DeliveryKind.SupportUpdate)] = $"VirtualIop: la persona a quien apoya no pudo ir a su sesión del {SessionTime}. Cómo ayudar: {Link}",
        [(Language.En, DeliveryKind.Reminder)] = $"VirtualIop reminder: {SessionTime}. Join: {Link}",
        [(Language.En, DeliveryKind.JoinAlert)] = $"VirtualIop: your session starts soon ({SessionTime}). Join now: {Link}",
        [(Language.En, DeliveryKind.MissedSession)] = $"VirtualIop: we missed you on {SessionTime}. Catch up when you're ready: {Link}",
        [(Language.En, DeliveryKind.SessionCancelled)] = $"VirtualIop: your session on {SessionTime} is cancelled. Details: {Link}",
        [(Language.Es, DeliveryKind.SessionCancelled)] = $"VirtualIop: su sesión del {SessionTime} se ha cancelado. Detalles: {Link}",
        [(Language.Es, DeliveryKind.Reminder)] = $"Recordatorio de VirtualIop: {SessionTime}. Entrar: {Link}",
        [(Language.Es, DeliveryKind.JoinAlert)] = $"VirtualIop: su sesión empieza pronto ({SessionTime}). Entre ya: {Link}",
        [(Language.Es, DeliveryKind.MissedSession)] = $"VirtualIop: le echamos de menos el {SessionTime}. Póngase al día cuando quiera: {Link}",
        [(Language.En, DeliveryKind.CatchUpAssigned)] = $"VirtualIop: your catch-up is ready whenever suits you: {Link}",
        [(Language.Es, DeliveryKind.CatchUpAssigned)] = $"VirtualIop: su material para ponerse al día está listo cuando le venga bien: {Link}",
        [(Language.En, DeliveryKind.HomeworkReminder)] = $"VirtualIop: a gentle nudge, your catch-up is waiting for you: {Link}",
        [(Language.Es, DeliveryKind.HomeworkReminder)] = $"VirtualIop: un recordatorio amable, su material para ponerse al día le espera: {Link}"
    };

    static readonly IReadOnlyDictionary<(Language, InboundSmsCommand), string> SmsReplies = new Dictionary<(Language, InboundSmsCommand), string>
    {
        [(Language.En, InboundSmsCommand.Stop)] = "VirtualIop: you will no longer get text messages from us. Reply START to get them again.",
        [(Language.En, InboundSmsCommand.Start)] = "VirtualIop: text messages are back on. Reply STOP to stop them, HELP for help.",
        [(Language.En, InboundSmsCommand.Help)] = $"VirtualIop session reminders. For help, contact your care team: {Link} Reply STOP to opt out. Msg & data rates may apply.",
        [(Language.En, InboundSmsCommand.Confirm)] = $"VirtualIop: thank you, you're confirmed for {SessionTime}. Join here: {Link}",
        [(Language.En, InboundSmsCommand.Decline)] = $"VirtualIop: thanks for letting us know about {SessionTime}. Catch up or pick a makeup here: {Link}",
        [(Language.Es, InboundSmsCommand.Stop)] = "VirtualIop: ya no recibirá mensajes de texto. Responda START para volver a recibirlos.",
        [(Language.Es, InboundSmsCommand.Start)] = "VirtualIop: vuelve a recibir mensajes de texto. Responda STOP para dejarlos, HELP para ayuda.",
        [(Language.Es, InboundSmsCommand.Help)] = $"Recordatorios de sesiones de VirtualIop. Para ayuda, contacte a su equipo de cuidado: {Link} Responda STOP para darse de baja.",
        [(Language.Es, InboundSmsCommand.Confirm)] = $"VirtualIop: gracias, queda confirmada su sesión del {SessionTime}. Entre aquí: {Link}",
        [(Language.Es, InboundSmsCommand.Decline)] = $"VirtualIop: gracias por avisarnos sobre el {SessionTime}. Póngase al día o elija otra sesión aquí: {Link}"
    };

    static readonly IReadOnlyDictionary<Language, string> NoSessionReplies = new Dictionary<Language, string>
    {
        [Language.En] = $"VirtualIop: we could not find an upcoming session to answer for. Your care team can help: {Link}",
        [Language.Es] = $"VirtualIop: no encontramos una próxima sesión a la que responder. Su equipo de cuidado puede ayudarle: {Link}"
    };

    /// <summary>The question texted after an N, its menu in <see cref="AbsenceReasonMenu"/>'s order.</summary>
    static readonly IReadOnlyDictionary<Language, string> ReasonQuestions = new Dictionary<Language, string>
    {
        [Language.En] = "VirtualIop: what kept you away? Reply 1 tech problems, 2 schedule clash, 3 illness, 4 emergency, 5 low motivation, 6 other",
        [Language.Es] = "VirtualIop: ¿qué le impide venir? Responda 1 problemas técnicos, 2 horario, 3 enfermedad, 4 emergencia, 5 poca motivación, 6 otro"
    };

    static readonly IReadOnlyDictionary<Language, string> ReasonThanks = new Dictionary<Language, string>
    {
        [Language.En] = "VirtualIop: thank you for telling us. Your care team is here for you.",
        [Language.Es] = "VirtualIop: gracias por contárnoslo. Su equipo de cuidado está aquí para usted."
    };

    static readonly IReadOnlyDictionary<Language, string> NoQuestionReplies = new Dictionary<Language, string>
    {
        [Language.En] = $"VirtualIop: thanks for your message. We are not waiting for an answer from you right now. Your care team can help: {Link}",
        [Language.Es] = $"VirtualIop: gracias por su mensaje. Ahora no esperamos ninguna respuesta suya. Su equipo de cuidado puede ayudarle: {Link}"
    };

    static readonly IReadOnlyDictionary<(Language, string), string> MakeupKinds = new Dictionary<(Language, string), string>
    {
        [(Language.En, "oneOnOne")] = "a one-on-one session with a member of your care team",
        [(Language.En, "extraGroupSlot")] = "a place in an extra session",
        [(Language.En, "recording")] = "the recording, to watch when it suits you",
        [(Language.Es, "oneOnOne")] = "una sesión individual con alguien de su equipo de cuidado",
        [(Language.Es, "extraGroupSlot")] = "una plaza en una sesión adicional",
        [(Language.Es, "recording")] = "la grabación, para verla cuando le venga bien"
    };

    /// <summary>The wording a clinic starts from, for one kind, language and channel (a text message has no subject).</summary>
    public static TemplateText Default(DeliveryKind kind, Language language, Channel channel)
    {
        var (subject, body) = Templates[(language, kind)];
        return channel == Channel.Email ? new TemplateText(subject, body) : new TemplateText(channel == Channel.Push ? subject : null, ShortTemplates[(language, kind)]);
    }

    /// <summary>An email: the clinic's own wording when it has one, else the built-in one.</summary>
    public static RenderedMessage Render(DeliveryKind kind, MessageFacts facts, Language language = Language.En, TemplateText? clinicWording = null)
    {
        var (subject, body) = Templates[(language, kind)];
        return new RenderedMessage(Fill(clinicWording?.Subject ?? subject, facts), Fill(clinicWording?.Body ?? body, facts));
    }

    /// <summary>The text of an SMS or a push notification: when and where, no PHI.</summary>
    public static string RenderShort(DeliveryKind kind, MessageFacts facts, Language language = Language.En, TemplateText? clinicWording = null) =>
        Fill(clinicWording?.Body ?? ShortTemplates[(language, kind)], WithoutPhi(facts));

    /// <summary>
    /// A push notification's title, under the same rules as its text: the channel's own wording or the built-in
    /// subject, never the clinic's email subject, and with no PHI whatever the wording asks for.
    /// </summary>
    public static string RenderTitle(DeliveryKind kind, MessageFacts facts, Language language = Language.En, TemplateText? clinicWording = null) =>
        Fill(clinicWording?.Subject ?? Templates[(language, kind)].Subject, WithoutPhi(facts));

    /// <summary>What a short message may say: a lock screen or a shared phone shows it to anyone nearby.</summary>
    static MessageFacts WithoutPhi(MessageFacts facts) => facts with { MakeupOptions = "", Details = "", PatientId = "" };

    /// <summary>The answer to a STOP, START or HELP text; the link is the only variable part, so it carries no PHI.</summary>
    public static string SmsReply(InboundSmsCommand command, Language language, string helpLink) =>
        SmsReply(command, language, new MessageFacts("", helpLink));

    /// <summary>The answer to a text: a time and a link at most.</summary>
    public static string SmsReply(InboundSmsCommand command, Language language, MessageFacts facts) =>
        SmsReplies.TryGetValue((language, command), out var text)
            ? Fill(text, new MessageFacts(facts.SessionTime, facts.Link))
            : throw new ArgumentOutOfRangeException(nameof(command), command, "Only STOP, START, HELP, C and N are answered.");

    /// <summary>The answer to a C or N when the patient has no upcoming reminded session.</summary>
    public static string NoSessionReply(Language language, string helpLink) => Fill(NoSessionReplies[language], new MessageFacts("", helpLink));

    /// <summary>The short text asking, after an N, what kept the patient away, with the numbered menu; no PHI.</summary>
    public static string ReasonQuestion(Language language) => ReasonQuestions[language];

    /// <summary>The answer to a number picked from the reason menu.</summary>
    public static string ReasonThanksReply(Language language) => ReasonThanks[language];

    /// <summary>The answer to a number when no reason question is waiting: nothing is recorded, the patient is pointed to help.</summary>
    public static string NoQuestionReply(Language language, string helpLink) => Fill(NoQuestionReplies[language], new MessageFacts("", helpLink));

    /// <summary>The makeups on offer as a short list in the patient's language; with none known yet, an offer of help to find one.</summary>
    public static string DescribeMakeupOptions(IReadOnlyCollection<string> offeredKinds, Language language)
    {
        var options = offeredKinds.Distinct().Select(k => MakeupKinds.GetValueOrDefault((language, k))).OfType<string>().ToList();
        if (options.Count == 0)
            return language == Language.Es
                ? "Su equipo de cuidado también puede ayudarle a encontrar otra sesión."
                : "Your care team can also help you find a makeup time.";
        var intro = language == Language.Es ? "Su equipo de cuidado le ofrece estas formas de ponerse al día:" : "Your care team has set aside these ways to catch up:";
        return intro + string.Concat(options.Select(o => "\n- " + o));
    }

    /// <summary>What a recording booked as a makeup says in place of a session time.</summary>
    public static string RecordingTime(Language language) =>
        language == Language.Es ? "la grabación, para verla cuando le venga bien" : "the recording, to watch when it suits you";

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

    /// <summary>Fills every placeholder; a placeholder nothing fills fails the render rather than reach a patient.</summary>
    static string Fill(string template, MessageFacts facts)
    {
        var text = template.Replace(SessionTime, facts.SessionTime, StringComparison.Ordinal)
                           .Replace(Link, facts.Link, StringComparison.Ordinal)
                           .Replace(MakeupOptions, facts.MakeupOptions, StringComparison.Ordinal)
                           .Replace(HelpDesk, facts.HelpDesk, StringComparison.Ordinal)
                           .Replace(Details, facts.Details, StringComparison.Ordinal)
                           .Replace(PatientId, facts.PatientId, StringComparison.Ordinal);
        if (text.Contains("{{", StringComparison.Ordinal))
            throw new InvalidOperationException("A message template has a placeholder that nothing fills.");
        return text;
    }
}
