using MassTransit;
using VirtualIop.Contracts.Attendance;
using VirtualIop.Notification.Data;

namespace VirtualIop.Notification.Messaging;

public sealed class AcknowledgeAbsenceNotice(PatientOutreach outreach) : IConsumer<AbsenceNotified>
{
    /// <summary>Stored in the inbox with each event this consumer processed: changing it would run redelivered events again.</summary>
    public const string InboxKey = "AcknowledgeAbsenceNotice";

    public Task Consume(ConsumeContext<AbsenceNotified> context) => outreach.AcknowledgeAbsence(context.Message, InboxKey, context.CancellationToken);
}
