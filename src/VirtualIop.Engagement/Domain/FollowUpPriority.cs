namespace VirtualIop.Engagement.Domain;

/// <summary>How soon a task needs the clinician: urgent for a safety check, normal for everything else.</summary>
public enum FollowUpPriority
{
    Normal,
    Urgent
}
