namespace VirtualIop.Engagement.Domain;

public enum TransitionVerdict
{
    Allowed,
    NotAllowed,
    OutcomeNoteRequired
}

/// <summary>
/// A task moves open → in progress → done, or is cancelled from open or in progress; it can also be done straight
/// from open. Done and cancelled are final. Closing a task (done or cancelled) needs an outcome note, so the log
/// says what happened. Moving to the state it is already in is not a transition.
/// </summary>
public static class FollowUpStateMachine
{
    public static bool IsActive(FollowUpStatus status) => status is FollowUpStatus.Open or FollowUpStatus.InProgress;

    public static TransitionVerdict Check(FollowUpStatus from, FollowUpStatus to, string? outcomeNote)
    {
        var allowed = (from, to) switch
        {
            (FollowUpStatus.Open, FollowUpStatus.InProgress) => true,
            (FollowUpStatus.Open or FollowUpStatus.InProgress, FollowUpStatus.Done or FollowUpStatus.Cancelled) => true,
            _ => false
        };
        if (!allowed) return TransitionVerdict.NotAllowed;
        return !IsActive(to) && string.IsNullOrWhiteSpace(outcomeNote) ? TransitionVerdict.OutcomeNoteRequired : TransitionVerdict.Allowed;
    }
}
