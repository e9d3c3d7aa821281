using MassTransit;
using VirtualIop.Contracts.Scheduling;
using VirtualIop.Notification.Data;

namespace VirtualIop.Notification.Messaging;

public sealed class CancelRemindersOfRemovedParticipant(Outreach outreach) : IConsumer<SessionParticipantRemoved>
{
    public Task Consume(ConsumeContext<SessionParticipantRemoved> context) => outreach.RemoveParticipant(context.Message, context.CancellationToken);
}
