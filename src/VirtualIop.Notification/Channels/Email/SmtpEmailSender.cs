using System.Collections.Concurrent;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;
using Polly;
using Polly.CircuitBreaker;
using VirtualIop.Notification.Channels;
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
/// Logs name the failure, never the recipient.
/// </summary>
public sealed class SmtpEmailSender : IChannelSender, IAsyncDisposable
{
    readonly SmtpOptions options;
    readonly ILogger<SmtpEmailSender> logger;
    readonly ResiliencePipeline pipeline;
    readonly ConcurrentBag<SubmissionClient> idle = [];

    public SmtpEmailSender(IOptions<SmtpOptions> options, TimeProvider clock, ILogger<SmtpEmailSender> logger)
    {
        this.options = options.Value;
        this.logger = logger;
        var resilience = new ChannelResilienceOptions { RetryAttempts = this.options.RetryAttempts, RetryBaseDelay = this.options.RetryBaseDelay };
        pipeline = ChannelResilience.Build("Email", resilience, SmtpFailures.IsTransient, clock, logger);
    }

    public Channel Channel => Channel.Email;

    public async Task<SendResult> Send(OutgoingMessage email, CancellationToken ct)
    {
        if (!MailboxAddress.TryParse(email.Address, out var recipient))
            return SendResult.Permanent("invalidAddress", "The address on file cannot be used for email.");
        var message = Compose(email, recipient);
        try
        {
            await pipeline.ExecuteAsync(async token => await SendOnce(message, token), ct);
            return SendResult.Sent;
        }
        catch (SendOutcomeUnknownException e)
        {
            logger.LogWarning("SMTP server gave no answer after the message was offered ({Failure}); not retried", Describe(e.InnerException));
            return SendResult.Unknown(e.Reason, e.Message);
        }
        catch (SmtpCommandException e) when (!SmtpFailures.IsTransient(e))
        {
            logger.LogWarning("SMTP server refused the message ({Failure})", Describe(e));
            return SendResult.Permanent("refused", $"Refused by the mail server ({(int)e.StatusCode}): {e.Message}");
        }
        catch (BrokenCircuitException)
        {
            return SendResult.Transient("circuitOpen", "Mail server unavailable: too many recent failures, sends are paused.");
        }
        catch (Exception e) when (SmtpFailures.IsTransient(e))
        {
            logger.LogWarning("SMTP send still failing after retries ({Failure})", Describe(e));
            return SendResult.Transient("unavailable", $"Mail server unavailable: {e.Message}");
        }
    }

    async Task SendOnce(MimeMessage message, CancellationToken ct)
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
            throw new SendOutcomeUnknownException("noAnswer",
                $"The mail server did not confirm the message ({Describe(e)}); it may have been accepted, so it is not sent again.", e);
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
                logger.LogDebug("Closing an idle SMTP connection failed ({Failure})", Describe(e));
            }
            finally
            {
                client.Dispose();
            }
        }
    }

    /// <summary>For logs: the kind of failure and the SMTP status, never the server's text, which may quote the recipient.</summary>
    static string Describe(Exception? e) => e switch
    {
        SmtpCommandException command => $"{command.ErrorCode} {(int)command.StatusCode}",
        _ => ChannelResilience.Describe(e)
    };

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
