namespace VirtualIop.Engagement.Domain;

public enum FollowUpReason
{
    SessionMissed
}
