using MassTransit;
using VirtualIop.Attendance.Data;
using VirtualIop.Contracts.Scheduling;

namespace VirtualIop.Attendance.Messaging;

/// <summary>A cancelled session is never swept, so nobody becomes a no-show for it.</summary>
public sealed class SkipCancelledSession(SessionChanges changes) : IConsumer<SessionCancelled>
{
    /// <summary>The inbox key events are stored under: unchanged, or redelivered events would run again.</summary>
    public const string InboxKey = "cancel-session-attendance";

    public Task Consume(ConsumeContext<SessionCancelled> context) => changes.Cancel(context.Message, InboxKey, context.CancellationToken);
}
