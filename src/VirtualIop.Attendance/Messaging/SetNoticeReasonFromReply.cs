using MassTransit;
using VirtualIop.Attendance.Data;
using VirtualIop.Contracts.Notification;

namespace VirtualIop.Attendance.Messaging;

/// <summary>A patient who declined a session by text said why: the notice the decline gave takes that reason category.</summary>
public sealed class SetNoticeReasonFromReply(AbsenceNotices notices, ILogger<SetNoticeReasonFromReply> logger) : IConsumer<AbsenceReasonGivenByReply>
{
    /// <summary>The inbox key events are stored under: unchanged, or redelivered events would run again.</summary>
    public const string InboxKey = "set-notice-reason-from-reply";

    public async Task Consume(ConsumeContext<AbsenceReasonGivenByReply> context)
    {
        var given = context.Message;
        if (await notices.SetReasonFromReply(given, InboxKey, context.CancellationToken) is false)
        {
            logger.LogInformation("Reason reply {EventId} for session {SessionId} and patient {PatientId} of clinic {ClinicId} kept for a notice to come",
                given.EventId, given.SessionId, given.PatientId, given.ClinicId);
        }
    }
}
