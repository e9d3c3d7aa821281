using MassTransit;
using VirtualIop.Attendance.Data;
using VirtualIop.Contracts.Scheduling;

namespace VirtualIop.Attendance.Messaging;

/// <summary>Starts attendance for a newly scheduled session: one pending record per patient, and the presence held for it.</summary>
public sealed class RecordScheduledSession(SessionChanges changes) : IConsumer<SessionScheduled>
{
    /// <summary>The inbox key events are stored under: unchanged, or redelivered events would run again.</summary>
    public const string InboxKey = "record-scheduled-session";

    public Task Consume(ConsumeContext<SessionScheduled> context) => changes.RecordScheduled(context.Message, InboxKey, context.CancellationToken);
}
