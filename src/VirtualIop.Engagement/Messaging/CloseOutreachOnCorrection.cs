using MassTransit;
using VirtualIop.Contracts.Attendance;
using VirtualIop.Engagement.Data;

namespace VirtualIop.Engagement.Messaging;

/// <summary>A clinician corrected a miss to present or excused: the outreach task the miss opened is cancelled with the outcome "corrected".</summary>
public sealed class CloseOutreachOnCorrection(FollowUpTasks tasks) : IConsumer<AttendanceCorrected>
{
    /// <summary>The inbox key this consumer's processed events are stored under; stored rows depend on it never changing.</summary>
    public const string InboxKey = "CloseOutreachOnCorrection";

    public Task Consume(ConsumeContext<AttendanceCorrected> context)
    {
        var m = context.Message;
        EventGuard.RequireIds(nameof(AttendanceCorrected), m.EventId, m.ClinicId, m.PatientId, m.SessionId);
        return tasks.CloseForCorrection(m, InboxKey, context.CancellationToken);
    }
}
