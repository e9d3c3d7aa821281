using Microsoft.Extensions.Options;
using VirtualIop.Attendance.Data;
using VirtualIop.Attendance.Extensions;
using VirtualIop.BuildingBlocks.Workers;

namespace VirtualIop.Attendance.Workers;

/// <summary>
/// Evaluates the patients every change queued (check-ins, notices, absences, the sweep, makeups, policy edits) every
/// Attendance:PolicyEvaluationInterval, and announces the rules that got worse (<see cref="ProgramPolicies.EvaluateQueued"/>).
/// </summary>
public sealed class PolicyEvaluator(ProgramPolicies policies, IOptions<AttendanceOptions> options, TimeProvider clock, ILogger<PolicyEvaluator> logger)
    : DueTimeWorker(clock, logger)
{
    protected override TimeSpan Interval => options.Value.PolicyEvaluationInterval;

    protected override int BatchSize => options.Value.PolicyEvaluationBatchSize;

    /// <returns>How many patients the pass evaluated.</returns>
    public override Task<int> RunOnce(DateTimeOffset now, CancellationToken ct) => policies.EvaluateQueued(now, BatchSize, ct);
}
