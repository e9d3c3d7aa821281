namespace VirtualIop.Notification.Domain;

public enum DeliveryKind
{
    Reminder,
    /// <summary>The platform alert shortly before the start, with the join link.</summary>
    JoinAlert,
    MissedSession
}
