using MassTransit;
using VirtualIop.Contracts.Scheduling;
using VirtualIop.Notification.Data;

namespace VirtualIop.Notification.Messaging;

public sealed class PlanRemindersForAddedParticipant(Outreach outreach) : IConsumer<SessionParticipantAdded>
{
    public Task Consume(ConsumeContext<SessionParticipantAdded> context) => outreach.AddParticipant(context.Message, context.CancellationToken);
}
