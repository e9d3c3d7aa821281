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
    Cancelled,
    /// <summary>
    /// The message may have gone out, but no provider answer confirmed it (a timeout or broken connection after it was
    /// handed over, or the sender stopped mid-send). Shown, never sent again automatically.
    /// </summary>
    Unknown,
    /// <summary>A patient's automated message about a session under an open safety check, held for the clinician; cancelled when they acknowledge it.</summary>
    Held
}
