using System.Text.Json;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;

namespace VirtualIop.Notification.Channels;

/// <summary>Retries, backoff and circuit breaker of one channel.</summary>
public sealed class ChannelResilienceOptions
{
    /// <summary>Retries in process on a transient error, before the delivery is handed back to a later pass.</summary>
    public int RetryAttempts { get; set; } = 3;

    /// <summary>Median delay before the first retry; later ones back off exponentially, with jitter.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Share of failed calls, within the sampling window, that opens the circuit.</summary>
    public double BreakerFailureRatio { get; set; } = 0.5;

    public int BreakerMinimumThroughput { get; set; } = 10;

    public TimeSpan BreakerSamplingDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long an open circuit fails sends at once before one is let through to test the provider.</summary>
    public TimeSpan BreakerBreakDuration { get; set; } = TimeSpan.FromSeconds(30);
}

/// <summary>
/// One channel's pipeline, and the one place where what it throws becomes a <see cref="SendResult"/>. The retry
/// (outer) backs off with jitter on transient failures; the circuit breaker (inner) stops calling a provider that keeps
/// failing, and an open circuit is itself reported as transient. Logs and details name a failure by its reason code
/// (<c>smtp.mailbox_unavailable</c>, <c>sms.http_503</c>), never by the provider's text, which may quote the recipient.
/// </summary>
public sealed class ChannelResilience
{
    readonly ResiliencePipeline pipeline;
    readonly string code;
    readonly string peer;
    readonly string pausedWork;
    readonly Func<Exception, bool> isTransient;
    readonly Func<Exception, string> reasonOf;
    readonly ILogger logger;

    /// <param name="code">The channel's prefix of reason codes ("smtp", "sms", "push", "helpdesk").</param>
    /// <param name="peer">Who is called, as details name it ("Mail server", "SMS provider").</param>
    /// <param name="pausedWork">What an open circuit pauses ("sends", "tickets").</param>
    /// <param name="reasonOf">The reason code of a transient failure; a <see cref="TransientSendException"/> carries its own.</param>
    public ChannelResilience(string code, string peer, string pausedWork, ChannelResilienceOptions options, Func<Exception, bool> isTransient,
        Func<Exception, string> reasonOf, TimeProvider clock, ILogger logger)
    {
        this.code = code;
        this.peer = peer;
        this.pausedWork = pausedWork;
        this.isTransient = isTransient;
        this.reasonOf = reasonOf;
        this.logger = logger;
        var handle = new PredicateBuilder().Handle<Exception>(isTransient);
        pipeline = new ResiliencePipelineBuilder { TimeProvider = clock }
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = handle,
                MaxRetryAttempts = Math.Max(1, options.RetryAttempts),
                Delay = options.RetryBaseDelay,
                MaxDelay = TimeSpan.FromSeconds(30),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                OnRetry = retry =>
                {
                    logger.LogWarning("{Peer} call failed transiently ({Reason}); retry {Attempt} in {Delay}",
                        peer, Reason(retry.Outcome.Exception), retry.AttemptNumber + 1, retry.RetryDelay);
                    return default;
                }
            })
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions
            {
                ShouldHandle = handle,
                FailureRatio = options.BreakerFailureRatio,
                MinimumThroughput = Math.Max(2, options.BreakerMinimumThroughput),
                SamplingDuration = options.BreakerSamplingDuration,
                BreakDuration = options.BreakerBreakDuration,
                OnOpened = opened =>
                {
                    logger.LogWarning("{Peer} circuit opened for {BreakDuration}", peer, opened.BreakDuration);
                    return default;
                }
            })
            .Build();
    }

    /// <summary>
    /// Runs one send: <paramref name="attempt"/> returns what the provider decided (sent, or refused for good) and throws
    /// what is worth retrying; whatever is still failing after the retries comes back as an outcome, never thrown.
    /// </summary>
    public async Task<SendResult> Send(Func<CancellationToken, ValueTask<SendResult>> attempt, CancellationToken ct)
    {
        try
        {
            return await pipeline.ExecuteAsync(attempt, ct);
        }
        catch (SendOutcomeUnknownException e)
        {
            logger.LogWarning("{Peer} gave no answer after the message was handed over ({Reason}); not retried", peer, e.Reason);
            return SendResult.Unknown("noAnswer", $"{peer} did not confirm the message ({e.Reason}); it may have been accepted, so it is not sent again.");
        }
        catch (BrokenCircuitException)
        {
            return SendResult.Transient("circuitOpen", $"{peer} unavailable: too many recent failures, {pausedWork} are paused ({code}.circuit_open).");
        }
        catch (Exception e) when (isTransient(e))
        {
            var reason = Reason(e);
            logger.LogWarning("{Peer} still failing after retries ({Reason})", peer, reason);
            return SendResult.Transient("unavailable", $"{peer} unavailable ({reason}).");
        }
    }

    string Reason(Exception? e) => e switch
    {
        null => $"{code}.no_exception",
        TransientSendException transient => transient.Reason,
        _ => reasonOf(e)
    };

    /// <summary>A reason code's last part from a name such as an exception type or a status ("MailboxUnavailable" → "mailbox_unavailable").</summary>
    public static string Snake(string name) => JsonNamingPolicy.SnakeCaseLower.ConvertName(name);
}
