using MassTransit;
using VirtualIop.Contracts.Attendance;
using VirtualIop.Notification.Data;

namespace VirtualIop.Notification.Messaging;

public sealed class OfferTechnicalSupportAfterCorrection(PatientOutreach outreach) : IConsumer<AttendanceCorrected>
{
    /// <summary>Stored in the inbox with each event this consumer processed: changing it would run redelivered events again.</summary>
    public const string InboxKey = "OfferTechnicalSupportAfterCorrection";

    public Task Consume(ConsumeContext<AttendanceCorrected> context) => outreach.OfferTechnicalSupport(context.Message, InboxKey, context.CancellationToken);
}
