using MassTransit;
using VirtualIop.Contracts.Attendance;
using VirtualIop.Notification.Data;

namespace VirtualIop.Notification.Messaging;

public sealed class SupportPatientNearingPolicyLimit(PatientOutreach outreach) : IConsumer<AttendanceWarning>
{
    /// <summary>Stored in the inbox with each event this consumer processed: changing it would run redelivered events again.</summary>
    public const string InboxKey = "SupportPatientNearingPolicyLimit";

    public Task Consume(ConsumeContext<AttendanceWarning> context) => outreach.SupportNearLimit(context.Message, InboxKey, context.CancellationToken);
}
