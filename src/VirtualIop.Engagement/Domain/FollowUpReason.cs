namespace VirtualIop.Engagement.Domain;

/// <summary>What opened a task: a missed session, a rise in engagement risk, a clinician, or a crisis (an emergency absence).</summary>
public enum FollowUpReason
{
    SessionMissed,
    EngagementRisk,
    Clinician,
    Crisis
}
