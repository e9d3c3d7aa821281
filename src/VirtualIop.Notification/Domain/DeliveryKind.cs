namespace VirtualIop.Notification.Domain;

public enum DeliveryKind
{
    Reminder,
    MissedSession
}
