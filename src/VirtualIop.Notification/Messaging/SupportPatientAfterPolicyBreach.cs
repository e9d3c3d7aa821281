using MassTransit;
using VirtualIop.Contracts.Attendance;
using VirtualIop.Notification.Data;

namespace VirtualIop.Notification.Messaging;

public sealed class SupportPatientAfterPolicyBreach(PatientOutreach outreach) : IConsumer<PolicyBreached>
{
    public Task Consume(ConsumeContext<PolicyBreached> context) => outreach.SupportAfterBreach(context.Message, context.CancellationToken);
}
