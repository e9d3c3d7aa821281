using MassTransit;
using VirtualIop.Contracts.Attendance;
using VirtualIop.Notification.Data;

namespace VirtualIop.Notification.Messaging;

public sealed class AcknowledgeAbsenceNotice(PatientOutreach outreach) : IConsumer<AbsenceNotified>
{
    public Task Consume(ConsumeContext<AbsenceNotified> context) => outreach.AcknowledgeAbsence(context.Message, context.CancellationToken);
}
