namespace VirtualIop.Engagement.Extensions;

/// <summary>Configuration section Engagement:SafetyCheck.</summary>
public sealed class SafetyCheckOptions
{
    public const string SectionName = "Engagement:SafetyCheck";

    /// <summary>How long the clinician has to acknowledge a safety check before the program's on-call contact is alerted.</summary>
    public TimeSpan Due { get; set; } = TimeSpan.FromHours(4);

    /// <summary>This many no-shows in a row without any reason given, for a patient already at high risk, open a safety check; 0 turns it off.</summary>
    public int SilentNoShowsAtHighRisk { get; set; } = 2;
}
