using MassTransit;
using VirtualIop.Contracts.Attendance;
using VirtualIop.Notification.Data;

namespace VirtualIop.Notification.Messaging;

/// <summary>A clinician corrected a miss to present or excused: the messages about the miss still waiting to go out are cancelled.</summary>
public sealed class CancelMissedSessionOutreachOnCorrection(Outreach outreach) : IConsumer<AttendanceCorrected>
{
    /// <summary>Stored in the inbox with each event this consumer processed: changing it would run redelivered events again.</summary>
    public const string InboxKey = "CancelMissedSessionOutreachOnCorrection";

    public Task Consume(ConsumeContext<AttendanceCorrected> context) =>
        outreach.CancelMissedSessionOutreach(context.Message, InboxKey, context.CancellationToken);
}
