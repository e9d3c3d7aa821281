using VirtualIop.Notification.Domain;

namespace VirtualIop.Notification.Channels;

/// <summary>One message to one address on one channel. Subject is for email and push titles; SMS ignores it.</summary>
public sealed record OutgoingMessage(Guid DeliveryId, string Address, string Subject, string Body);

public enum SendOutcome
{
    Sent,
    /// <summary>Worth trying again later: the provider or the network was not available, or the circuit is open.</summary>
    TransientFailure,
    /// <summary>Trying again will not help: the provider refused the address or the message.</summary>
    PermanentFailure,
    /// <summary>
    /// The message was handed over but no answer came back (a timeout or a broken connection during or after it), so
    /// the provider may have accepted it. Never retried: a second try could deliver it twice.
    /// </summary>
    Unknown
}

/// <param name="Reason">A short code for events and logs (e.g. "invalidAddress", "unavailable"); never provider text.</param>
/// <param name="Detail">
/// What the delivery records for the clinic to read: a fixed sentence with the channel's reason code
/// (e.g. <c>smtp.mailbox_unavailable</c>), never provider text, which may quote the recipient.
/// </param>
public sealed record SendResult(SendOutcome Outcome, string? Reason, string? Detail)
{
    public static readonly SendResult Sent = new(SendOutcome.Sent, null, null);

    public static SendResult Transient(string reason, string detail) => new(SendOutcome.TransientFailure, reason, detail);

    public static SendResult Permanent(string reason, string detail) => new(SendOutcome.PermanentFailure, reason, detail);

    public static SendResult Unknown(string reason, string detail) => new(SendOutcome.Unknown, reason, detail);
}

/// <summary>
/// A way to reach a patient. Each implementation retries transient errors with backoff and jitter and holds its
/// own circuit breaker, and reports the outcome rather than throwing it, so the dispatcher records it.
/// A sender retries only while the message certainly has not reached the provider; once it may have (the SMTP DATA
/// step, an HTTP request body on the wire), a failure or a cancellation is reported as <see cref="SendOutcome.Unknown"/>.
/// A cancellation that escapes <see cref="Send"/> therefore means nothing was handed over.
/// </summary>
public interface IChannelSender
{
    Channel Channel { get; }

    Task<SendResult> Send(OutgoingMessage message, CancellationToken ct);

    /// <summary>Closes the connections a sender keeps open between the sends of a pass; the dispatcher calls it when a pass ends its run.</summary>
    ValueTask ReleaseConnections() => ValueTask.CompletedTask;
}

/// <summary>Thrown inside a sender's resilience pipeline for a failure worth retrying, with its reason code; never leaves the sender.</summary>
public sealed class TransientSendException(string reason) : Exception(reason)
{
    public string Reason { get; } = reason;
}

/// <summary>
/// Thrown inside a sender's resilience pipeline when the message may have reached the provider, with the reason code
/// of what cut it off; never retried, never leaves the sender.
/// </summary>
public sealed class SendOutcomeUnknownException(string reason, Exception inner) : Exception(reason, inner)
{
    public string Reason { get; } = reason;
}
