namespace VirtualIop.Notification.Domain;

public enum InboundSmsCommand
{
    Stop,
    Start,
    Help,
    Other
}

/// <summary>
/// The carrier keywords a text message answers to (CTIA: STOP and its synonyms, START, HELP), in English and
/// Spanish. Only the whole message counts, ignoring case, spaces and trailing punctuation: "stop." stops,
/// "please don't stop" does not.
/// </summary>
public static class InboundSmsKeywords
{
    static readonly HashSet<string> StopWords = new(StringComparer.OrdinalIgnoreCase)
        { "STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "OPTOUT", "REVOKE", "ALTO", "PARAR", "BAJA" };

    static readonly HashSet<string> StartWords = new(StringComparer.OrdinalIgnoreCase) { "START", "UNSTOP", "YES", "SUBSCRIBE", "INICIAR" };

    static readonly HashSet<string> HelpWords = new(StringComparer.OrdinalIgnoreCase) { "HELP", "INFO", "AYUDA" };

    public static InboundSmsCommand Classify(string? body)
    {
        var word = (body ?? "").Trim().TrimEnd('.', '!', '?').Trim();
        if (StopWords.Contains(word)) return InboundSmsCommand.Stop;
        if (StartWords.Contains(word)) return InboundSmsCommand.Start;
        if (HelpWords.Contains(word)) return InboundSmsCommand.Help;
        return InboundSmsCommand.Other;
    }
}
