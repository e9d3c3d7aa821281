namespace VirtualIop.Engagement.Domain;

/// <summary>One piece of a session's content that a patient who missed it is asked to go through.</summary>
public enum ContinuityItemKind
{
    Summary,
    Homework,
    Recording,
    PeerSupport
}
