namespace VirtualIop.Engagement.Domain;

/// <summary>What opened a task: a missed session, a rise in engagement risk, or a clinician.</summary>
public enum FollowUpReason
{
    SessionMissed,
    EngagementRisk,
    Clinician
}
