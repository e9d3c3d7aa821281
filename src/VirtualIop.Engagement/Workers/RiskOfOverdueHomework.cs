using VirtualIop.BuildingBlocks.Workers;
using VirtualIop.Engagement.Data;

namespace VirtualIop.Engagement.Workers;

/// <summary>
/// Homework that falls overdue between sessions raises the patient's risk when it does, not at their next session:
/// this worker re-evaluates the patients whose homework crossed its overdue point, as an Attendance event would.
/// </summary>
public sealed class RiskOfOverdueHomework(EngagementRisks risks, IConfiguration configuration, TimeProvider clock,
    ILogger<RiskOfOverdueHomework> logger) : DueTimeWorker(clock, logger)
{
    protected override TimeSpan Interval { get; } = configuration.GetValue("Engagement:HomeworkOverdueInterval", TimeSpan.FromMinutes(15));

    protected override int BatchSize => 100;

    public override async Task<int> RunOnce(DateTimeOffset now, CancellationToken ct)
    {
        var evaluated = await risks.ReevaluateForOverdueHomework(now, BatchSize, ct);
        if (evaluated > 0) logger.LogInformation("Re-evaluated risk for {Count} homework item(s) that fell overdue", evaluated);
        return evaluated;
    }
}
