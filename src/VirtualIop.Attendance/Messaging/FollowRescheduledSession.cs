using MassTransit;
using VirtualIop.Attendance.Data;
using VirtualIop.Contracts.Scheduling;

namespace VirtualIop.Attendance.Messaging;

/// <summary>Moves the session's sweep to its new end.</summary>
public sealed class FollowRescheduledSession(SessionChanges changes) : IConsumer<SessionRescheduled>
{
    public Task Consume(ConsumeContext<SessionRescheduled> context) => changes.Reschedule(context.Message, context.CancellationToken);
}
