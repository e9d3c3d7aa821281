namespace VirtualIop.Notification.Domain;

public enum DeliveryStatus
{
    Pending,
    Sending,
    Sent,
    Failed,
    Skipped,
    Suppressed,
    /// <summary>Withdrawn before it went out: the session moved or was cancelled, or the patient left it.</summary>
    Cancelled
}
