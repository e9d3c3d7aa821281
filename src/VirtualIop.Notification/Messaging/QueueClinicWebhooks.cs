using MassTransit;
using VirtualIop.Contracts.Attendance;
using VirtualIop.Contracts.Engagement;
using VirtualIop.Contracts.Scheduling;
using VirtualIop.Notification.Data.Webhooks;
using VirtualIop.Notification.Domain.Webhooks;

namespace VirtualIop.Notification.Messaging;

/// <summary>Queues each event a clinic's webhook endpoints asked for, once per event (<see cref="WebhookDeliveries.Enqueue"/>), in whatever order events arrive.</summary>
public sealed class QueueClinicWebhooks(WebhookDeliveries deliveries) :
    IConsumer<SessionScheduled>, IConsumer<SessionRescheduled>, IConsumer<SessionCancelled>,
    IConsumer<SessionAttended>, IConsumer<SessionMissed>, IConsumer<AbsenceNotified>, IConsumer<AttendanceCorrected>,
    IConsumer<MakeupOffered>, IConsumer<MakeupBooked>, IConsumer<MakeupCompleted>,
    IConsumer<FollowUpTaskCreated>, IConsumer<EngagementRiskRaised>, IConsumer<AttendanceWarning>, IConsumer<PolicyBreached>
{
    /// <summary>Stored in the inbox with each event this consumer processed: changing it would run redelivered events again.</summary>
    public const string InboxKey = "QueueClinicWebhooks";

    public Task Consume(ConsumeContext<SessionScheduled> context) => Queue(WebhookEvents.From(context.Message), context);
    public Task Consume(ConsumeContext<SessionRescheduled> context) => Queue(WebhookEvents.From(context.Message), context);
    public Task Consume(ConsumeContext<SessionCancelled> context) => Queue(WebhookEvents.From(context.Message), context);
    public Task Consume(ConsumeContext<SessionAttended> context) => Queue(WebhookEvents.From(context.Message), context);
    public Task Consume(ConsumeContext<SessionMissed> context) => Queue(WebhookEvents.From(context.Message), context);
    public Task Consume(ConsumeContext<AbsenceNotified> context) => Queue(WebhookEvents.From(context.Message), context);
    public Task Consume(ConsumeContext<AttendanceCorrected> context) => Queue(WebhookEvents.From(context.Message), context);
    public Task Consume(ConsumeContext<MakeupOffered> context) => Queue(WebhookEvents.From(context.Message), context);
    public Task Consume(ConsumeContext<MakeupBooked> context) => Queue(WebhookEvents.From(context.Message), context);
    public Task Consume(ConsumeContext<MakeupCompleted> context) => Queue(WebhookEvents.From(context.Message), context);
    public Task Consume(ConsumeContext<FollowUpTaskCreated> context) => Queue(WebhookEvents.From(context.Message), context);
    public Task Consume(ConsumeContext<EngagementRiskRaised> context) => Queue(WebhookEvents.From(context.Message), context);
    public Task Consume(ConsumeContext<AttendanceWarning> context) => Queue(WebhookEvents.From(context.Message), context);
    public Task Consume(ConsumeContext<PolicyBreached> context) => Queue(WebhookEvents.From(context.Message), context);

    Task Queue(WebhookEvent e, ConsumeContext context) => deliveries.Enqueue(e, InboxKey, context.CancellationToken);
}
