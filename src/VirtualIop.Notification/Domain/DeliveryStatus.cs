namespace VirtualIop.Notification.Domain;

public enum DeliveryStatus
{
    Pending,
    Sending,
    Sent,
    Failed,
    Skipped,
    Suppressed
}
