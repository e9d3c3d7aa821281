using MassTransit;
using VirtualIop.Contracts.Engagement;
using VirtualIop.Scheduling.Data;

namespace VirtualIop.Scheduling.Messaging;

/// <summary>A motivational-interviewing follow-up was opened: book it in the facilitator's next free slot.</summary>
public sealed class BookMotivationalInterview(FollowUpBookings bookings) : IConsumer<FollowUpTaskCreated>
{
    /// <summary>The inbox key this consumer's deliveries are stored under; stored rows depend on it, so it never changes.</summary>
    public const string InboxKey = "BookMotivationalInterview";

    public Task Consume(ConsumeContext<FollowUpTaskCreated> context) =>
        bookings.Book(context.Message, InboxKey, context.CancellationToken);
}
