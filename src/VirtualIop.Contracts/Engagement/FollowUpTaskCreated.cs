namespace VirtualIop.Contracts.Engagement;

/// <summary>
/// A clinician follow-up was opened. Reason: sessionMissed, engagementRisk or clinician. Kind: missedSessionOutreach,
/// individualCounselling, motivationalInterviewing, treatmentPlanReview, technicalSupport, familyInvolvement.
/// AboutSessionId is the session the task is about (for a risk, the latest session of the signal that called for it),
/// or null when it is about no session. SessionId carries the same id for consumers written before AboutSessionId
/// existed; it is Guid.Empty when the task is about no session, so new consumers read AboutSessionId.
/// </summary>
public sealed record FollowUpTaskCreated(
    Guid EventId,
    Guid ClinicId,
    Guid TaskId,
    Guid PatientId,
    Guid SessionId,
    string Reason,
    DateTimeOffset CreatedAt,
    string? Kind = null,
    Guid? AboutSessionId = null) : IIntegrationEvent;
