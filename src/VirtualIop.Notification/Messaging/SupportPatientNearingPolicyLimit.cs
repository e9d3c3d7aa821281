using MassTransit;
using VirtualIop.Contracts.Attendance;
using VirtualIop.Notification.Data;

namespace VirtualIop.Notification.Messaging;

public sealed class SupportPatientNearingPolicyLimit(PatientOutreach outreach) : IConsumer<AttendanceWarning>
{
    public Task Consume(ConsumeContext<AttendanceWarning> context) => outreach.SupportNearLimit(context.Message, context.CancellationToken);
}
