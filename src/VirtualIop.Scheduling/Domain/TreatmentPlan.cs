using VirtualIop.Contracts.Engagement;

namespace VirtualIop.Scheduling.Domain;

/// <summary>What Scheduling keeps of a PlanAdjusted event: a frequency or a modality, once it makes sense.</summary>
public abstract record PlanChange
{
    public sealed record Frequency(int SessionsPerWeek) : PlanChange;

    public sealed record Modality(string Name) : PlanChange;

    public static readonly IReadOnlyList<string> Modalities = ["group", "individual", "hybrid"];

    /// <returns>null for an adjustment Scheduling cannot act on (an unknown change, or a value out of range).</returns>
    public static PlanChange? From(string change, int? sessionsPerWeek, string? modality) => change switch
    {
        "frequency" when sessionsPerWeek is { } perWeek && PlanAdjusted.IsValidSessionsPerWeek(perWeek) => new Frequency(sessionsPerWeek.Value),
        "modality" when modality is not null && Modalities.Contains(modality) => new Modality(modality),
        _ => null
    };
}
