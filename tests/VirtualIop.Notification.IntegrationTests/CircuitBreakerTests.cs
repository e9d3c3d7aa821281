using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using VirtualIop.Notification.Channels;
using VirtualIop.Notification.Channels.Sms;

namespace VirtualIop.Notification.IntegrationTests;

/// <summary>The SMS channel's own pipeline against a real listener that keeps failing.</summary>
public sealed class CircuitBreakerTests
{
    [Fact]
    public async Task A_provider_that_keeps_failing_opens_the_circuit_and_further_texts_are_not_attempted()
    {
        await using var provider = new RecordingHttpServer(Enumerable.Repeat(HttpStatusCode.ServiceUnavailable, 100).ToArray());
        var options = new SmsOptions
        {
            BaseUrl = provider.BaseUrl,
            AccountSid = "AC1",
            AuthToken = "token",
            FromNumber = "+15550001111",
            Resilience = new ChannelResilienceOptions
            {
                RetryAttempts = 1,
                RetryBaseDelay = TimeSpan.FromMilliseconds(10),
                BreakerMinimumThroughput = 4,
                BreakerFailureRatio = 0.5,
                BreakerBreakDuration = TimeSpan.FromMinutes(5)
            }
        };
        using var sender = new HttpSmsSender(Options.Create(options), TimeProvider.System, NullLogger<HttpSmsSender>.Instance);
        var message = new OutgoingMessage(Guid.NewGuid(), "+15557654321", "", "VirtualIop reminder");

        var results = new List<SendResult>();
        for (var i = 0; i < 5; i++) results.Add(await sender.Send(message, default));

        Assert.All(results, r => Assert.Equal(SendOutcome.TransientFailure, r.Outcome));
        Assert.Equal("circuitOpen", results[^1].Reason);
        var callsWhenOpen = provider.Requests.Count;
        Assert.Equal(SendOutcome.TransientFailure, (await sender.Send(message, default)).Outcome);
        Assert.Equal(callsWhenOpen, provider.Requests.Count);
    }
}
