using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using VirtualIop.BuildingBlocks.Messaging;
using VirtualIop.Contracts.Attendance;
using VirtualIop.TestSupport;

namespace VirtualIop.BuildingBlocks.IntegrationTests;

/// <summary>
/// Messaging:ConcurrentMessageLimit reaches every receive endpoint: the consumer below holds each delivery until the
/// limit's worth are in flight at once (more than MassTransit's own default of 16), and never sees more than the limit.
/// </summary>
[Collection(MessagingCollection.Name)]
public sealed class ConsumerConcurrencyTests(PostgresServer postgres, RabbitMqBroker rabbitMq) : IAsyncLifetime
{
    const int Limit = 24;
    readonly MessagingDatabase messaging = new(postgres, rabbitMq);

    public Task InitializeAsync() => messaging.InitializeAsync();

    public Task DisposeAsync() => messaging.DisposeAsync();

    [Fact]
    public async Task A_receive_endpoint_handles_as_many_deliveries_at_once_as_the_configured_limit_and_no_more()
    {
        var gate = new ConcurrencyGate(Limit);
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            [$"ConnectionStrings:{MessagingExtensions.BrokerConnectionName}"] = messaging.BrokerUri.AbsoluteUri,
            ["Messaging:ConcurrentMessageLimit"] = Limit.ToString(),
            ["Messaging:PrefetchCount"] = (Limit * 2).ToString()
        });
        builder.Services.AddSingleton(messaging.DataSource);
        builder.Services.AddSingleton(gate);
        builder.AddServiceBus("concurrency-tests", bus => bus.AddConsumer<HeldConsumer>());
        using var host = builder.Build();
        await host.StartAsync();
        try
        {
            var clinic = Guid.NewGuid();
            var bus = host.Services.GetRequiredService<IBus>();
            await Task.WhenAll(Enumerable.Range(0, Limit * 2).Select(_ => bus.Publish(MessagingDatabase.NewEvent(clinic))));

            await Eventually.Until(() => Task.FromResult(gate.Done), done => done == Limit * 2, "every delivery to be consumed");
            Assert.True(gate.Released, "the deliveries held never reached the limit together");
            Assert.Equal(Limit, gate.MostInFlight);
        }
        finally
        {
            await host.StopAsync();
        }
    }

    public sealed class HeldConsumer(ConcurrencyGate gate) : IConsumer<SessionMissed>
    {
        public Task Consume(ConsumeContext<SessionMissed> context) => gate.Pass();
    }

    /// <summary>Holds each delivery until <c>expected</c> are in flight together (or a while has passed), and counts the most at once.</summary>
    public sealed class ConcurrencyGate(int expected)
    {
        static readonly TimeSpan Hold = TimeSpan.FromSeconds(20);
        readonly TaskCompletionSource all = new(TaskCreationOptions.RunContinuationsAsynchronously);
        int inFlight;
        int mostInFlight;
        int done;

        public int MostInFlight => Volatile.Read(ref mostInFlight);

        public int Done => Volatile.Read(ref done);

        public bool Released => all.Task.IsCompleted;

        public async Task Pass()
        {
            var now = Interlocked.Increment(ref inFlight);
            for (var seen = Volatile.Read(ref mostInFlight); now > seen; seen = Volatile.Read(ref mostInFlight))
                if (Interlocked.CompareExchange(ref mostInFlight, now, seen) == seen) break;
            if (now >= expected) all.TrySetResult();
            // Returns after the hold without failing, so a bus that never reaches the limit is reported by the test, not retried.
            await Task.WhenAny(all.Task, Task.Delay(Hold));
            Interlocked.Decrement(ref inFlight);
            Interlocked.Increment(ref done);
        }
    }
}
