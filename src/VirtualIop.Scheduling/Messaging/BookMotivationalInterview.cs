using MassTransit;
using VirtualIop.Contracts.Engagement;
using VirtualIop.Scheduling.Data;

namespace VirtualIop.Scheduling.Messaging;

/// <summary>A motivational-interviewing follow-up was opened: book it in the facilitator's next free slot.</summary>
public sealed class BookMotivationalInterview(FollowUpBookings bookings) : IConsumer<FollowUpTaskCreated>
{
    public Task Consume(ConsumeContext<FollowUpTaskCreated> context) =>
        bookings.Book(context.Message, nameof(BookMotivationalInterview), context.CancellationToken);
}
