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
/// Builds a channel's pipeline: the retry (outer) backs off with jitter on transient failures; the circuit breaker
/// (inner) stops calling a provider that keeps failing, and an open circuit is itself reported as transient.
/// </summary>
public static class ChannelResilience
{
    public static ResiliencePipeline Build(string channel, ChannelResilienceOptions options, Func<Exception, bool> isTransient, TimeProvider clock, ILogger logger)
    {
        var handle = new PredicateBuilder().Handle<Exception>(isTransient);
        return new ResiliencePipelineBuilder { TimeProvider = clock }
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
                    logger.LogWarning("{Channel} send failed transiently ({Failure}); retry {Attempt} in {Delay}",
                        channel, Describe(retry.Outcome.Exception), retry.AttemptNumber + 1, retry.RetryDelay);
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
                    logger.LogWarning("{Channel} circuit opened for {BreakDuration}", channel, opened.BreakDuration);
                    return default;
                }
            })
            .Build();
    }

    /// <summary>For logs: the kind of failure, never the provider's text, which may quote the recipient.</summary>
    public static string Describe(Exception? e) => e switch
    {
        TransientSendException transient => transient.Reason,
        null => "no exception",
        _ => e.GetType().Name
    };
}
