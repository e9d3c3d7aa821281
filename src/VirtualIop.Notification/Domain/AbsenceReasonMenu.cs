namespace VirtualIop.Notification.Domain;

/// <summary>
/// The numbered menu texted after an N: the patient answers with one digit, 1 to 6, for the absence's reason category
/// as Attendance names it. Only the whole message counts, ignoring spaces and trailing punctuation: "3" and "3." answer,
/// "3 days" does not.
/// </summary>
public static class AbsenceReasonMenu
{
    /// <summary>The reason categories in menu order: 1 is the first.</summary>
    public static readonly IReadOnlyList<string> Categories =
        ["technicalDifficulty", "schedulingConflict", "illness", "emergency", "lowMotivation", "other"];

    /// <returns>The reason category the text picks, or null when it is not one of the menu's numbers.</returns>
    public static string? Choice(string? body)
    {
        var word = (body ?? "").Trim().TrimEnd('.', '!', '?', ')').Trim();
        return word.Length == 1 && word[0] >= '1' && word[0] < '1' + Categories.Count ? Categories[word[0] - '1'] : null;
    }
}
