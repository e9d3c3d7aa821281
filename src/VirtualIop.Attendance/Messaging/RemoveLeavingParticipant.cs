using MassTransit;
using VirtualIop.Attendance.Data;
using VirtualIop.Contracts.Scheduling;

namespace VirtualIop.Attendance.Messaging;

/// <summary>A patient who leaves before the session is no longer expected.</summary>
public sealed class RemoveLeavingParticipant(SessionChanges changes) : IConsumer<SessionParticipantRemoved>
{
    public Task Consume(ConsumeContext<SessionParticipantRemoved> context) => changes.RemoveParticipant(context.Message, context.CancellationToken);
}
