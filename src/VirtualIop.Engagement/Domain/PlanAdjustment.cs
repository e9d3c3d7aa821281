namespace VirtualIop.Engagement.Domain;

public enum PlanChange
{
    Frequency,
    Modality
}

public enum TreatmentModality
{
    Group,
    Individual,
    Hybrid
}

/// <summary>An IOP runs at least 1 and at most 7 sessions a week; a frequency change names the new weekly count.</summary>
public static class PlanAdjustmentRules
{
    public const int MinSessionsPerWeek = 1;
    public const int MaxSessionsPerWeek = 7;

    public static bool IsValidFrequency(int sessionsPerWeek) => sessionsPerWeek is >= MinSessionsPerWeek and <= MaxSessionsPerWeek;
}
