using MassTransit;
using VirtualIop.Contracts.Attendance;
using VirtualIop.Engagement.Data;

namespace VirtualIop.Engagement.Messaging;

/// <summary>A clinician corrected a miss to present or excused: the catch-up package for the session is addressed as "corrected".</summary>
public sealed class CloseCatchUpOnCorrection(ContinuityPackages packages) : IConsumer<AttendanceCorrected>
{
    /// <summary>The inbox key this consumer's processed events are stored under; stored rows depend on it never changing.</summary>
    public const string InboxKey = "CloseCatchUpOnCorrection";

    public Task Consume(ConsumeContext<AttendanceCorrected> context)
    {
        var m = context.Message;
        EventGuard.RequireIds(nameof(AttendanceCorrected), m.EventId, m.ClinicId, m.PatientId, m.SessionId);
        return packages.CloseForCorrection(m, InboxKey, context.CancellationToken);
    }
}
