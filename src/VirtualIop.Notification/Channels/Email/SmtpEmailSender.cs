using System.Collections.Concurrent;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;
using VirtualIop.Notification.Domain;

namespace VirtualIop.Notification.Channels.Email;

/// <summary>
/// Sends over SMTP with MailKit through the channel's retry and circuit breaker. Connections are kept between the sends
/// of a dispatcher pass (one per concurrent sender) and closed when the pass ends its run; a connection that failed is
/// never reused.
/// A 5xx reply is final (the address or the message was refused); 4xx replies, and network trouble before the server
/// accepted the recipient, are transient and retried. Once the recipient is accepted the client moves on to DATA, and
/// from then on a timeout, a broken connection or a cancellation may follow a message the server already took: that
/// is reported as unknown and never retried. Each message's Message-ID is made from the delivery id, so any copy can
/// be told apart and matched to its delivery.
/// Logs and details name the failure by its reason code (<see cref="SmtpFailures.Reason"/>), never by the server's
/// text, which quotes the recipient.
/// </summary>
public sealed class SmtpEmailSender : IChannelSender, IAsyncDisposable
{
    readonly SmtpOptions options;
    readonly ILogger<SmtpEmailSender> logger;
    readonly ChannelResilience resilience;
    readonly ConcurrentBag<SubmissionClient> idle = [];

    public SmtpEmailSender(IOptions<SmtpOptions> options, TimeProvider clock, ILogger<SmtpEmailSender> logger)
    {
        this.options = options.Value;
        this.logger = logger;
        resilience = new ChannelResilience("smtp", "Mail server", "sends", this.options.Resilience, SmtpFailures.IsTransient, SmtpFailures.Reason, clock, logger);
    }

    public Channel Channel => Channel.Email;

    public Task<SendResult> Send(OutgoingMessage email, CancellationToken ct)
    {
        if (!MailboxAddress.TryParse(email.Address, out var recipient))
            return Task.FromResult(SendResult.Permanent("invalidAddress", "The address on file cannot be used for email (smtp.invalid_address)."));
        var message = Compose(email, recipient);
        return resilience.Send(async token => await SendOnce(message, token), ct);
    }

    /// <summary>One try: sent, or refused for good (a 5xx reply); anything else is thrown for the pipeline to judge.</summary>
    async Task<SendResult> SendOnce(MimeMessage message, CancellationToken ct)
    {
        try
        {
            await Submit(message, ct);
            return SendResult.Sent;
        }
        catch (SmtpCommandException e) when (SmtpFailures.IsPermanent(e.StatusCode))
        {
            var reason = SmtpFailures.Reason(e);
            logger.LogWarning("SMTP server refused the message ({Reason})", reason);
            return SendResult.Permanent("refused", $"Refused by the mail server ({(int)e.StatusCode}, {reason}).");
        }
    }

    async Task Submit(MimeMessage message, CancellationToken ct)
    {
        var client = await Connected(ct);
        client.StartMessage();
        try
        {
            await client.SendAsync(message, ct);
        }
        catch (Exception e) when (client.MessageOffered && e is not SmtpCommandException)
        {
            client.Dispose();
            throw new SendOutcomeUnknownException(SmtpFailures.Reason(e), e);
        }
        catch
        {
            client.Dispose();
            throw;
        }
        idle.Add(client);
    }

    /// <summary>An open connection from the pass's pool, or a new one.</summary>
    async Task<SubmissionClient> Connected(CancellationToken ct)
    {
        while (idle.TryTake(out var pooled))
        {
            if (pooled.IsConnected) return pooled;
            pooled.Dispose();
        }
        var client = new SubmissionClient { Timeout = (int)options.Timeout.TotalMilliseconds };
        try
        {
            var security = !options.UseTls ? SecureSocketOptions.None
                : options.Port == 465 ? SecureSocketOptions.SslOnConnect
                : SecureSocketOptions.StartTls;
            await client.ConnectAsync(options.Host!, options.Port, security, ct);
            if (!string.IsNullOrEmpty(options.Username))
                await client.AuthenticateAsync(options.Username, options.Password ?? "", ct);
            return client;
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    public async ValueTask ReleaseConnections()
    {
        while (idle.TryTake(out var client))
        {
            try
            {
                await client.DisconnectAsync(quit: true);
            }
            catch (Exception e) when (SmtpFailures.IsTransient(e))
            {
                logger.LogDebug("Closing an idle SMTP connection failed ({Reason})", SmtpFailures.Reason(e));
            }
            finally
            {
                client.Dispose();
            }
        }
    }

    MimeMessage Compose(OutgoingMessage email, MailboxAddress recipient)
    {
        var message = new MimeMessage();
        message.From.Add(new MailboxAddress(options.FromName, options.FromAddress));
        message.To.Add(recipient);
        message.MessageId = $"{email.DeliveryId:N}@{MailboxAddress.Parse(options.FromAddress).Domain}";
        message.Subject = email.Subject;
        message.Body = new TextPart("plain") { Text = email.Body };
        return message;
    }

    public ValueTask DisposeAsync() => ReleaseConnections();

    /// <summary>An SMTP connection that notes when the server accepted the recipient of the message being sent: the point after which the message may reach it.</summary>
    sealed class SubmissionClient : SmtpClient
    {
        public bool MessageOffered { get; private set; }

        public void StartMessage() => MessageOffered = false;

        protected override void OnRecipientAccepted(MimeMessage message, MailboxAddress mailbox, SmtpResponse response)
        {
            base.OnRecipientAccepted(message, mailbox, response);
            MessageOffered = true;
        }
    }
}
