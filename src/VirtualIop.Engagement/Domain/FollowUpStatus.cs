namespace VirtualIop.Engagement.Domain;

public enum FollowUpStatus
{
    Open,
    InProgress,
    Done,
    Cancelled
}
