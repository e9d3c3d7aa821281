using MassTransit;
using VirtualIop.Attendance.Data;
using VirtualIop.Contracts.Scheduling;

namespace VirtualIop.Attendance.Messaging;

/// <summary>A patient who joins gets a pending record.</summary>
public sealed class AddJoiningParticipant(SessionChanges changes) : IConsumer<SessionParticipantAdded>
{
    /// <summary>The inbox key events are stored under: unchanged, or redelivered events would run again.</summary>
    public const string InboxKey = "add-session-participant";

    public Task Consume(ConsumeContext<SessionParticipantAdded> context) => changes.AddParticipant(context.Message, InboxKey, context.CancellationToken);
}
