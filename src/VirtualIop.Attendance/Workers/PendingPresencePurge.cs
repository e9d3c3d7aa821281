using Microsoft.Extensions.Options;
using VirtualIop.Attendance.Data;
using VirtualIop.Attendance.Extensions;
using VirtualIop.BuildingBlocks.Workers;

namespace VirtualIop.Attendance.Workers;

/// <summary>
/// Purges presence held for a session that never came (a mistyped session id, a session Scheduling never announced)
/// once Attendance:PendingPresenceRetention has passed (<see cref="PendingPresence.PurgeHeldBefore"/>).
/// </summary>
public sealed class PendingPresencePurge(PendingPresence pending, IOptions<AttendanceOptions> options, TimeProvider clock,
    ILogger<PendingPresencePurge> logger) : RetentionWorker(clock, logger)
{
    protected override TimeSpan Retention => options.Value.PendingPresenceRetention;

    protected override string Rows => "held presence mark(s) whose session never came";

    protected override Task<int> ForgetBefore(DateTimeOffset cutoff, int batchSize, CancellationToken ct) =>
        pending.PurgeHeldBefore(cutoff, batchSize, ct);
}
