using MassTransit;
using VirtualIop.Attendance.Data;
using VirtualIop.Contracts.Scheduling;

namespace VirtualIop.Attendance.Messaging;

/// <summary>A patient who leaves before the session is no longer expected.</summary>
public sealed class RemoveLeavingParticipant(SessionChanges changes) : IConsumer<SessionParticipantRemoved>
{
    /// <summary>The inbox key events are stored under: unchanged, or redelivered events would run again.</summary>
    public const string InboxKey = "remove-session-participant";

    public Task Consume(ConsumeContext<SessionParticipantRemoved> context) => changes.RemoveParticipant(context.Message, InboxKey, context.CancellationToken);
}
