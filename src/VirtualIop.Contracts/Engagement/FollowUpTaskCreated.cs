namespace VirtualIop.Contracts.Engagement;

/// <summary>
/// A clinician follow-up was opened. Reason: sessionMissed, engagementRisk or clinician. SessionId is the session it
/// is about (for a risk, the latest session of the signal that called for it), or Guid.Empty when a clinician opened
/// it about no session. Kind: missedSessionOutreach, individualCounselling, motivationalInterviewing,
/// treatmentPlanReview, technicalSupport.
/// </summary>
public sealed record FollowUpTaskCreated(
    Guid EventId,
    Guid ClinicId,
    Guid TaskId,
    Guid PatientId,
    Guid SessionId,
    string Reason,
    DateTimeOffset CreatedAt,
    string? Kind = null) : IIntegrationEvent;
