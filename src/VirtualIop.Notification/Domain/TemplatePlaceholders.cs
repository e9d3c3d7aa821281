using System.Text.RegularExpressions;

namespace VirtualIop.Notification.Domain;

/// <summary>
/// The placeholders a message may use, per kind of message, and which each kind must use. A text message or a push
/// notification may say when and where (the time, the link, the help desk), nothing else: the placeholders that
/// reveal care (the makeup kinds, an alert's details, a patient reference) are for email only.
/// </summary>
public static partial class TemplatePlaceholders
{
    public const string SessionTime = "sessionTime";
    public const string Link = "link";
    public const string MakeupOptions = "makeupOptions";
    public const string HelpDesk = "helpDesk";
    public const string Details = "details";
    public const string PatientId = "patientId";

    public const int MaxSubjectLength = 200;
    public const int MaxEmailBodyLength = 5000;
    public const int MaxShortBodyLength = 480;

    /// <summary>Placeholders that carry PHI or clinical detail: never in a text message or a push notification.</summary>
    public static readonly IReadOnlySet<string> Phi = new HashSet<string> { MakeupOptions, Details, PatientId };

    static readonly IReadOnlyDictionary<DeliveryKind, (string[] Allowed, string[] Required)> Specs = new Dictionary<DeliveryKind, (string[], string[])>
    {
        [DeliveryKind.Reminder] = ([SessionTime, Link], [SessionTime, Link]),
        [DeliveryKind.JoinAlert] = ([SessionTime, Link], [SessionTime, Link]),
        [DeliveryKind.SessionCancelled] = ([SessionTime, Link], [SessionTime, Link]),
        [DeliveryKind.MissedSession] = ([SessionTime, Link, MakeupOptions], [Link]),
        [DeliveryKind.AbsenceAcknowledged] = ([SessionTime, Link, MakeupOptions], [Link]),
        [DeliveryKind.TechnicalSupport] = ([SessionTime, Link, HelpDesk], [Link, HelpDesk]),
        [DeliveryKind.AttendanceSupport] = ([Link, HelpDesk], [Link]),
        [DeliveryKind.ClinicianAlert] = ([Link, Details, PatientId], [Link]),
        [DeliveryKind.SafetyAlert] = ([Link, Details, PatientId], [Link]),
        [DeliveryKind.WaitlistPromoted] = ([SessionTime, Link], [SessionTime, Link]),
        [DeliveryKind.MakeupBooked] = ([SessionTime, Link], [Link]),
        [DeliveryKind.MakeupOptions] = ([SessionTime, Link, MakeupOptions], [Link, MakeupOptions]),
        [DeliveryKind.SupportUpdate] = ([SessionTime, Link], [Link]),
        [DeliveryKind.MakeupReopened] = ([SessionTime, Link, MakeupOptions], [Link]),
        [DeliveryKind.CatchUpAssigned] = ([SessionTime, Link], [Link]),
        [DeliveryKind.HomeworkReminder] = ([Link], [Link])
    };

    /// <summary>The kinds of message that have wording (a help-desk ticket is data, not a message).</summary>
    public static IEnumerable<DeliveryKind> Templated => Specs.Keys;

    public static bool HasTemplate(DeliveryKind kind) => Specs.ContainsKey(kind);

    public static IReadOnlyList<string> Allowed(DeliveryKind kind, Channel channel) =>
        Specs[kind].Allowed.Where(p => channel == Channel.Email || !Phi.Contains(p)).ToList();

    /// <summary>What a message of this kind must contain on this channel (a short message leaves out the PHI ones).</summary>
    public static IReadOnlyList<string> Required(DeliveryKind kind, Channel channel) =>
        Specs[kind].Required.Where(p => channel == Channel.Email || !Phi.Contains(p)).ToList();

    /// <summary>Every {{name}} in a text, in order.</summary>
    public static IReadOnlyList<string> In(string text) => Token().Matches(text).Select(m => m.Groups[1].Value).ToList();

    /// <summary>
    /// Checks a clinic's wording for one kind and channel: no unknown placeholder, none that reveals care in a short
    /// message, every required one in the body, no stray braces. Errors name the field (subject or body).
    /// </summary>
    public static IReadOnlyList<(string Field, string Message)> Validate(DeliveryKind kind, Channel channel, string? subject, string body)
    {
        var errors = new List<(string, string)>();
        var allowed = Allowed(kind, channel);
        foreach (var (field, text) in new[] { ("subject", subject ?? ""), ("body", body) })
        {
            foreach (var name in In(text).Distinct())
            {
                if (channel != Channel.Email && Phi.Contains(name) && Specs[kind].Allowed.Contains(name))
                    errors.Add((field, $"{{{{{name}}}}} may reveal care and is not allowed in a {Name(channel)} message."));
                else if (!allowed.Contains(name))
                    errors.Add((field, $"Unknown placeholder {{{{{name}}}}}; allowed: {string.Join(", ", allowed.Select(a => "{{" + a + "}}"))}."));
            }
            if (Token().Replace(text, "").Contains("{{", StringComparison.Ordinal) || Token().Replace(text, "").Contains("}}", StringComparison.Ordinal))
                errors.Add((field, "Unbalanced placeholder braces."));
        }
        var used = In(body).ToHashSet();
        foreach (var missing in Required(kind, channel).Where(r => !used.Contains(r)))
            errors.Add(("body", $"The required placeholder {{{{{missing}}}}} is missing."));
        return errors;
    }

    static string Name(Channel channel) => channel.ToString().ToLowerInvariant();

    [GeneratedRegex(@"\{\{([A-Za-z0-9_]*)\}\}")]
    private static partial Regex Token();
}
