using System.Globalization;

namespace VirtualIop.Notification.Domain;

/// <summary>What a message may say about its session: when it starts (already in the patient's local time) and where to go.</summary>
public sealed record MessageFacts(string SessionTime, string Link);

public sealed record RenderedMessage(string Subject, string Body);

/// <summary>
/// The patient-facing texts. They say when and where, never what the session is about (no diagnosis, no
/// program or session kind), and a missed session is met with support, never with blame.
/// </summary>
public static class MessageTemplates
{
    const string SessionTime = "{{sessionTime}}";
    const string Link = "{{link}}";

    static readonly IReadOnlyDictionary<DeliveryKind, (string Subject, string Body)> Templates = new Dictionary<DeliveryKind, (string, string)>
    {
        [DeliveryKind.Reminder] = (
            "Reminder: your session on " + SessionTime,
            $"""
            Hello,

            This is a friendly reminder that your next session starts on {SessionTime}.

            You can join here when it is time: {Link}

            If you can't make it, that's okay. Let your care team know through the same link and they will help you find another time.

            We look forward to seeing you.
            VirtualIop
            """),
        [DeliveryKind.MissedSession] = (
            "We missed you - here is how to catch up",
            $"""
            Hello,

            We missed you at your session on {SessionTime}. Life gets busy, and that's okay.

            You can catch up on what was covered, and pick a makeup time if you'd like, here: {Link}

            If something is getting in the way, your care team is here to help. Just reach out through the same link.

            Take care,
            VirtualIop
            """)
    };

    public static RenderedMessage Render(DeliveryKind kind, MessageFacts facts)
    {
        var (subject, body) = Templates[kind];
        return new RenderedMessage(Fill(subject, facts), Fill(body, facts));
    }

    /// <summary>"Tuesday, 1 December 2026 at 18:00 (America/New_York)": the instant in the session's own time zone.</summary>
    public static string DescribeSessionTime(DateTimeOffset startsAt, TimeZoneInfo zone)
    {
        var local = TimeZoneInfo.ConvertTime(startsAt, zone);
        return local.ToString("dddd, d MMMM yyyy 'at' HH:mm", CultureInfo.InvariantCulture) + $" ({zone.Id})";
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
