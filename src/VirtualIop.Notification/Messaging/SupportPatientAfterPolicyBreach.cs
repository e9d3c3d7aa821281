using MassTransit;
using VirtualIop.Contracts.Attendance;
using VirtualIop.Notification.Data;

namespace VirtualIop.Notification.Messaging;

public sealed class SupportPatientAfterPolicyBreach(PatientOutreach outreach) : IConsumer<PolicyBreached>
{
    /// <summary>Stored in the inbox with each event this consumer processed: changing it would run redelivered events again.</summary>
    public const string InboxKey = "SupportPatientAfterPolicyBreach";

    public Task Consume(ConsumeContext<PolicyBreached> context) => outreach.SupportAfterBreach(context.Message, InboxKey, context.CancellationToken);
}
