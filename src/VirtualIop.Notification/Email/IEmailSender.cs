namespace VirtualIop.Notification.Email;

public sealed record OutgoingEmail(string To, string Subject, string Body);

public enum EmailSendOutcome
{
    Sent,
    /// <summary>Worth trying again later: the server or the network was not available.</summary>
    TransientFailure,
    /// <summary>Trying again will not help: the server refused the recipient or the message.</summary>
    PermanentFailure
}

public sealed record EmailSendResult(EmailSendOutcome Outcome, string? Detail)
{
    public static readonly EmailSendResult Sent = new(EmailSendOutcome.Sent, null);
}

public interface IEmailSender
{
    Task<EmailSendResult> Send(OutgoingEmail email, CancellationToken ct);
}
