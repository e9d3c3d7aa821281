namespace VirtualIop.Notification.Domain;

public enum InboundSmsCommand
{
    Stop,
    Start,
    Help,
    /// <summary>C: the patient confirms their next reminded session.</summary>
    Confirm,
    /// <summary>N: the patient cannot attend their next reminded session.</summary>
    Decline,
    /// <summary>A number from the reason menu texted after an N (see <see cref="AbsenceReasonMenu"/>).</summary>
    Reason,
    Other
}

/// <summary>
/// The carrier keywords a text message answers to (CTIA: STOP and its synonyms, START, HELP), in English and
/// Spanish, and the answers to a reminder: C to confirm, N to say the patient cannot attend, and a number from the reason menu that follows an N. Only the whole message counts, ignoring case, spaces and trailing punctuation: "stop." stops,
/// "please don't stop" does not.
/// </summary>
public static class InboundSmsKeywords
{
    static readonly HashSet<string> StopWords = new(StringComparer.OrdinalIgnoreCase)
        { "STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "OPTOUT", "REVOKE", "ALTO", "PARAR", "BAJA" };

    static readonly HashSet<string> StartWords = new(StringComparer.OrdinalIgnoreCase) { "START", "UNSTOP", "YES", "SUBSCRIBE", "INICIAR" };

    static readonly HashSet<string> HelpWords = new(StringComparer.OrdinalIgnoreCase) { "HELP", "INFO", "AYUDA" };

    static readonly HashSet<string> ConfirmWords = new(StringComparer.OrdinalIgnoreCase) { "C", "CONFIRM", "CONFIRMAR" };

    // Only the letter the reminder asks for: a bare "no" may answer something else the care team asked by text.
    static readonly HashSet<string> DeclineWords = new(StringComparer.OrdinalIgnoreCase) { "N" };

    public static InboundSmsCommand Classify(string? body)
    {
        var word = (body ?? "").Trim().TrimEnd('.', '!', '?').Trim();
        if (StopWords.Contains(word)) return InboundSmsCommand.Stop;
        if (StartWords.Contains(word)) return InboundSmsCommand.Start;
        if (HelpWords.Contains(word)) return InboundSmsCommand.Help;
        if (ConfirmWords.Contains(word)) return InboundSmsCommand.Confirm;
        if (DeclineWords.Contains(word)) return InboundSmsCommand.Decline;
        if (AbsenceReasonMenu.Choice(word) is not null) return InboundSmsCommand.Reason;
        return InboundSmsCommand.Other;
    }
}
