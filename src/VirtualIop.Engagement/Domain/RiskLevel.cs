namespace VirtualIop.Engagement.Domain;

/// <summary>How likely a patient is to drop out of treatment, from the attendance patterns alone; ordered.</summary>
public enum RiskLevel
{
    None,
    Low,
    Moderate,
    High
}
