using VirtualIop.Scheduling.Domain;

namespace VirtualIop.Scheduling.Extensions;

public sealed class SchedulingOptions
{
    public const string SectionName = "Scheduling";

    /// <summary>The shortest session a clinic may book; the end-to-end test shrinks it to a minute.</summary>
    public int MinimumSessionMinutes { get; set; } = NewSession.DefaultMinDurationMinutes;
}
