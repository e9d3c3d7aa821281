using MassTransit;
using VirtualIop.Attendance.Data;
using VirtualIop.Contracts.Notification;

namespace VirtualIop.Attendance.Messaging;

/// <summary>A patient who replied N to a reminder has given notice of absence, as if through the clinic's app.</summary>
public sealed class NotifyAbsenceOnDeclinedReply(AbsenceNotices notices, ILogger<NotifyAbsenceOnDeclinedReply> logger) : IConsumer<SessionDeclinedByReply>
{
    /// <summary>The inbox key events are stored under: unchanged, or redelivered events would run again.</summary>
    public const string InboxKey = "notify-absence-on-declined-reply";

    public async Task Consume(ConsumeContext<SessionDeclinedByReply> context)
    {
        var declined = context.Message;
        var status = await notices.NotifyByReply(declined, InboxKey, context.CancellationToken);
        if (status is { } s && s != NoticeStatus.Recorded)
        {
            logger.LogInformation("Declined reply {EventId} for session {SessionId} and patient {PatientId} of clinic {ClinicId} ignored: {Status}",
                declined.EventId, declined.SessionId, declined.PatientId, declined.ClinicId, s);
        }
    }
}
