using MassTransit;
using VirtualIop.Attendance.Data;
using VirtualIop.Contracts.Scheduling;

namespace VirtualIop.Attendance.Messaging;

/// <summary>A patient who joins gets a pending record.</summary>
public sealed class AddJoiningParticipant(SessionChanges changes) : IConsumer<SessionParticipantAdded>
{
    public Task Consume(ConsumeContext<SessionParticipantAdded> context) => changes.AddParticipant(context.Message, context.CancellationToken);
}
