namespace VirtualIop.Notification.Domain;

public enum DeliveryKind
{
    Reminder,
    /// <summary>The platform alert shortly before the start, with the join link.</summary>
    JoinAlert,
    MissedSession,
    /// <summary>The notice that a session the patient was booked on is cancelled.</summary>
    SessionCancelled
}
