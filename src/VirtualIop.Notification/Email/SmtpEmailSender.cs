using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;
using Polly;
using Polly.CircuitBreaker;
using VirtualIop.Notification.Channels;
using VirtualIop.Notification.Domain;

namespace VirtualIop.Notification.Email;

/// <summary>
/// Sends over SMTP with MailKit, one connection per message, through the channel's retry and circuit breaker.
/// A 5xx reply is final (the address or the message was refused); network trouble and 4xx replies are transient.
/// Logs name the failure, never the recipient.
/// </summary>
public sealed class SmtpEmailSender : IChannelSender
{
    readonly SmtpOptions options;
    readonly ILogger<SmtpEmailSender> logger;
    readonly ResiliencePipeline pipeline;

    public SmtpEmailSender(IOptions<SmtpOptions> options, TimeProvider clock, ILogger<SmtpEmailSender> logger)
    {
        this.options = options.Value;
        this.logger = logger;
        var resilience = new ChannelResilienceOptions { RetryAttempts = this.options.RetryAttempts, RetryBaseDelay = this.options.RetryBaseDelay };
        pipeline = ChannelResilience.Build(Channel.Email, resilience, SmtpFailures.IsTransient, clock, logger);
    }

    public Channel Channel => Channel.Email;

    public async Task<SendResult> Send(OutgoingMessage email, CancellationToken ct)
    {
        var message = Compose(email);
        try
        {
            await pipeline.ExecuteAsync(async token => await SendOnce(message, token), ct);
            return SendResult.Sent;
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
        using var client = new SmtpClient { Timeout = (int)options.Timeout.TotalMilliseconds };
        var security = !options.UseTls ? SecureSocketOptions.None
            : options.Port == 465 ? SecureSocketOptions.SslOnConnect
            : SecureSocketOptions.StartTls;
        await client.ConnectAsync(options.Host!, options.Port, security, ct);
        if (!string.IsNullOrEmpty(options.Username))
            await client.AuthenticateAsync(options.Username, options.Password ?? "", ct);
        await client.SendAsync(message, ct);
        await client.DisconnectAsync(quit: true, ct);
    }

    /// <summary>For logs: the kind of failure and the SMTP status, never the server's text, which may quote the recipient.</summary>
    static string Describe(Exception? e) => e switch
    {
        SmtpCommandException command => $"{command.ErrorCode} {(int)command.StatusCode}",
        _ => ChannelResilience.Describe(e)
    };

    MimeMessage Compose(OutgoingMessage email)
    {
        var message = new MimeMessage();
        message.From.Add(new MailboxAddress(options.FromName, options.FromAddress));
        message.To.Add(MailboxAddress.Parse(email.Address));
        message.Subject = email.Subject;
        message.Body = new TextPart("plain") { Text = email.Body };
        return message;
    }
}
