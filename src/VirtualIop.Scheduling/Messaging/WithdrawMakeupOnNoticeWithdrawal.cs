using MassTransit;
using VirtualIop.Contracts.Attendance;
using VirtualIop.Scheduling.Data;

namespace VirtualIop.Scheduling.Messaging;

/// <summary>A patient withdrew their absence notice: the makeup offered for it is withdrawn unless they already took it up.</summary>
public sealed class WithdrawMakeupOnNoticeWithdrawal(Makeups makeups) : IConsumer<AbsenceNoticeWithdrawn>
{
    /// <summary>The inbox key this consumer's deliveries are stored under; stored rows depend on it, so it never changes.</summary>
    public const string InboxKey = "WithdrawMakeupOnNoticeWithdrawal";

    public Task Consume(ConsumeContext<AbsenceNoticeWithdrawn> context) =>
        makeups.WithdrawForNotice(context.Message, InboxKey, context.CancellationToken);
}
