using MassTransit;
using VirtualIop.Contracts.Attendance;
using VirtualIop.Scheduling.Data;

namespace VirtualIop.Scheduling.Messaging;

/// <summary>A patient missed a session without notice: offer the makeups the program allows.</summary>
public sealed class OfferMakeupOnMiss(Makeups makeups) : IConsumer<SessionMissed>
{
    /// <summary>The inbox key this consumer's deliveries are stored under; stored rows depend on it, so it never changes.</summary>
    public const string InboxKey = "OfferMakeupOnMiss";

    public Task Consume(ConsumeContext<SessionMissed> context) =>
        makeups.Offer(context.Message, context.Message.SessionId, context.Message.PatientId, null, InboxKey, context.CancellationToken);
}
