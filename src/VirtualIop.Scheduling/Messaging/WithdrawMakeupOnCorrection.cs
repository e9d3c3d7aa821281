using MassTransit;
using VirtualIop.Contracts.Attendance;
using VirtualIop.Scheduling.Data;

namespace VirtualIop.Scheduling.Messaging;

/// <summary>A clinician corrected a miss to present or excused: the makeup offered for it is withdrawn unless the patient already took it up.</summary>
public sealed class WithdrawMakeupOnCorrection(Makeups makeups) : IConsumer<AttendanceCorrected>
{
    /// <summary>The inbox key this consumer's deliveries are stored under; stored rows depend on it, so it never changes.</summary>
    public const string InboxKey = "WithdrawMakeupOnCorrection";

    public Task Consume(ConsumeContext<AttendanceCorrected> context) =>
        makeups.WithdrawForCorrection(context.Message, InboxKey, context.CancellationToken);
}
