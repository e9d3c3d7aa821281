using MassTransit;
using VirtualIop.Contracts.Attendance;
using VirtualIop.Scheduling.Data;

namespace VirtualIop.Scheduling.Messaging;

/// <summary>A patient gave notice they will miss a session: offer the makeups the program allows, ahead of time.</summary>
public sealed class OfferMakeupOnAbsenceNotice(Makeups makeups) : IConsumer<AbsenceNotified>
{
    /// <summary>The inbox key this consumer's deliveries are stored under; stored rows depend on it, so it never changes.</summary>
    public const string InboxKey = "OfferMakeupOnAbsenceNotice";

    public Task Consume(ConsumeContext<AbsenceNotified> context) =>
        makeups.Offer(context.Message, context.Message.SessionId, context.Message.PatientId, context.Message.NoticeId, InboxKey, context.CancellationToken);
}
