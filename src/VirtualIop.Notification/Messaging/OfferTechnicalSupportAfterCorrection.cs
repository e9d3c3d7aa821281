using MassTransit;
using VirtualIop.Contracts.Attendance;
using VirtualIop.Notification.Data;

namespace VirtualIop.Notification.Messaging;

public sealed class OfferTechnicalSupportAfterCorrection(PatientOutreach outreach) : IConsumer<AttendanceCorrected>
{
    public Task Consume(ConsumeContext<AttendanceCorrected> context) => outreach.OfferTechnicalSupport(context.Message, context.CancellationToken);
}
