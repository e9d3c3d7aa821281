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
    ILogger<PendingPresencePurge> logger) : DueTimeWorker(clock, logger)
{
    // Marks are held for days: an hour more or less before one is purged changes nothing.
    protected override TimeSpan Interval => TimeSpan.FromHours(1);

    protected override int BatchSize => 1000;

    /// <returns>How many held marks the pass purged.</returns>
    public override async Task<int> RunOnce(DateTimeOffset now, CancellationToken ct)
    {
        var purged = await pending.PurgeHeldBefore(now - options.Value.PendingPresenceRetention, BatchSize, ct);
        if (purged > 0) logger.LogInformation("Purged {Count} held presence mark(s) whose session never came", purged);
        return purged;
    }
}
