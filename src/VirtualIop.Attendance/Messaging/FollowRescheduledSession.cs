using MassTransit;
using VirtualIop.Attendance.Data;
using VirtualIop.Contracts.Scheduling;

namespace VirtualIop.Attendance.Messaging;

/// <summary>Moves the session's sweep to its new end.</summary>
public sealed class FollowRescheduledSession(SessionChanges changes) : IConsumer<SessionRescheduled>
{
    /// <summary>The inbox key events are stored under: unchanged, or redelivered events would run again.</summary>
    public const string InboxKey = "move-rescheduled-session";

    public Task Consume(ConsumeContext<SessionRescheduled> context) => changes.Reschedule(context.Message, InboxKey, context.CancellationToken);
}
