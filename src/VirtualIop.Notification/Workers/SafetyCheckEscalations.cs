using Microsoft.Extensions.Options;
using VirtualIop.BuildingBlocks.Workers;
using VirtualIop.Notification.Data;
using VirtualIop.Notification.Extensions;

namespace VirtualIop.Notification.Workers;

/// <summary>
/// Escalates each safety check still unacknowledged at its due time to the program's on-call contact, once, however
/// many passes and replicas run (Data: SafetyEscalations). Runs on the dispatcher's interval and batch size.
/// </summary>
public sealed class SafetyCheckEscalations(SafetyEscalations escalations, IOptions<NotificationOptions> options, TimeProvider clock,
    ILogger<SafetyCheckEscalations> logger) : DueTimeWorker(clock, logger)
{
    protected override TimeSpan Interval => options.Value.DispatchInterval;

    protected override int BatchSize => options.Value.DispatchBatchSize;

    public override async Task<int> RunOnce(DateTimeOffset now, CancellationToken ct)
    {
        var escalated = await escalations.EscalateDue(now, BatchSize, ct);
        foreach (var check in escalated)
            if (check.OnCallKnown)
                logger.LogWarning("Safety check {TaskId} of clinic {ClinicId} was not acknowledged in time: escalated to the on-call contact of program {ProgramId}",
                    check.TaskId, check.ClinicId, check.ProgramId);
            else
                logger.LogError("Safety check {TaskId} of clinic {ClinicId} was not acknowledged in time and program {ProgramId} has no on-call contact",
                    check.TaskId, check.ClinicId, check.ProgramId);
        return escalated.Count;
    }
}
