namespace VirtualIop.Notification.Domain;

/// <summary>The ways a patient can be reached.</summary>
public enum Channel
{
    Email,
    Sms,
    Push
}
