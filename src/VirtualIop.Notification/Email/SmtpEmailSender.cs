using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;
using Polly;
using Polly.Retry;

namespace VirtualIop.Notification.Email;

/// <summary>
/// Sends over SMTP with MailKit, one connection per message. Transient errors are retried in process with
/// exponential backoff and jitter; what is still failing after that, or is refused outright, is reported
/// back as a result rather than thrown, so the dispatcher records it. Logs name the failure, never the recipient.
/// </summary>
public sealed class SmtpEmailSender : IEmailSender
{
    readonly SmtpOptions options;
    readonly ILogger<SmtpEmailSender> logger;
    readonly ResiliencePipeline pipeline;

    public SmtpEmailSender(IOptions<SmtpOptions> options, TimeProvider clock, ILogger<SmtpEmailSender> logger)
    {
        this.options = options.Value;
        this.logger = logger;
        pipeline = new ResiliencePipelineBuilder { TimeProvider = clock }
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<Exception>(SmtpFailures.IsTransient),
                MaxRetryAttempts = Math.Max(1, this.options.RetryAttempts),
                Delay = this.options.RetryBaseDelay,
                MaxDelay = TimeSpan.FromSeconds(30),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                OnRetry = retry =>
                {
                    logger.LogWarning("SMTP send failed transiently ({Failure}); retry {Attempt} in {Delay}",
                        Describe(retry.Outcome.Exception), retry.AttemptNumber + 1, retry.RetryDelay);
                    return default;
                }
            })
            .Build();
    }

    public async Task<EmailSendResult> Send(OutgoingEmail email, CancellationToken ct)
    {
        var message = Compose(email);
        try
        {
            await pipeline.ExecuteAsync(async token => await SendOnce(message, token), ct);
            return EmailSendResult.Sent;
        }
        catch (SmtpCommandException e) when (!SmtpFailures.IsTransient(e))
        {
            logger.LogWarning("SMTP server refused the message ({Failure})", Describe(e));
            return new EmailSendResult(EmailSendOutcome.PermanentFailure, $"Refused by the mail server ({(int)e.StatusCode}): {e.Message}");
        }
        catch (Exception e) when (SmtpFailures.IsTransient(e))
        {
            logger.LogWarning("SMTP send still failing after retries ({Failure})", Describe(e));
            return new EmailSendResult(EmailSendOutcome.TransientFailure, $"Mail server unavailable: {e.Message}");
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
        null => "no exception",
        _ => e.GetType().Name
    };

    MimeMessage Compose(OutgoingEmail email)
    {
        var message = new MimeMessage();
        message.From.Add(new MailboxAddress(options.FromName, options.FromAddress));
        message.To.Add(MailboxAddress.Parse(email.To));
        message.Subject = email.Subject;
        message.Body = new TextPart("plain") { Text = email.Body };
        return message;
    }
}
