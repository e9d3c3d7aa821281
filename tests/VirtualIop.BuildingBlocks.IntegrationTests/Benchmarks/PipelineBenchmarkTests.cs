using VirtualIop.TestSupport;
using Xunit.Abstractions;

namespace VirtualIop.BuildingBlocks.IntegrationTests.Benchmarks;

/// <summary>
/// Durable events per second through outbox, relay, RabbitMQ and an inbox consumer, against a raw RabbitMQ.Client
/// publish-with-confirms and consume-with-ack loop of the same message size, in one run: both warmed up until the JIT is
/// done, then in turns, three rounds each. It prints every round, both medians and their ratio, and asserts only
/// correctness: every event took effect once. N is VIRTUALIOP_PIPELINE_BENCH_COUNT (default
/// 1,000 so the suite stays quick; scripts/bench.sh runs the full size).
/// Run alone with: dotnet test tests/VirtualIop.BuildingBlocks.IntegrationTests --filter Category=Benchmark --logger "console;verbosity=detailed"
/// </summary>
[Collection(MessagingCollection.Name)]
public sealed class PipelineBenchmarkTests(PostgresServer postgres, RabbitMqBroker rabbitMq, ITestOutputHelper output) : IAsyncLifetime
{
    const string CountVariable = "VIRTUALIOP_PIPELINE_BENCH_COUNT";
    const ushort RawPrefetch = 100;

    string connectionString = "";
    Uri broker = null!;

    static int Count => int.TryParse(Environment.GetEnvironmentVariable(CountVariable), out var n) && n > 0 ? n : 1_000;

    /// <summary>
    /// Events each path runs before its clock starts, so that every hot method has been called often enough to be
    /// recompiled at full optimisation (see <see cref="LetTheJitSettle"/>); a quarter of the measured count at most.
    /// </summary>
    static int WarmUp => Math.Clamp(Count / 4, 200, 5_000);

    public async Task InitializeAsync()
    {
        connectionString = postgres.NewDatabaseConnectionString("pipelinebench");
        broker = await rabbitMq.NewVirtualHostAsync("pipelinebench");
    }

    public async Task DisposeAsync()
    {
        await rabbitMq.DeleteVirtualHostAsync(broker);
        await postgres.DropDatabaseAsync(connectionString);
    }

    [Fact]
    [Trait("Category", "Benchmark")]
    public async Task Every_event_written_to_the_outbox_takes_effect_once_and_the_pipeline_reports_its_rate_against_a_raw_RabbitMQ_loop()
    {
        var count = Count;
        var pipelineTimes = new List<TimeSpan>();
        var relayTimes = new List<TimeSpan>();
        var rawTimes = new List<TimeSpan>();
        await using var pipeline = await PipelineBenchmark.Start(connectionString, broker);
        var warmUp = Guid.NewGuid();
        await pipeline.MeasurePipeline(warmUp, WarmUp);
        var (size, batch) = (pipeline.MessageSize, pipeline.RelayBatchSize);
        await PipelineBenchmark.MeasureRawLoop(broker, WarmUp, size, batch, RawPrefetch);
        await LetTheJitSettle();

        // The two paths take turns, so whatever else the machine does in the minute (a checkpoint, autovacuum of the
        // pipeline's tables, the broker compacting its log) falls on both alike; each figure is the median of its rounds.
        var clinics = new List<Guid>();
        for (var round = 0; round < Rounds; round++)
        {
            var (rawTime, rawReceived) = await PipelineBenchmark.MeasureRawLoop(broker, count, size, batch, RawPrefetch);
            Assert.Equal(count, rawReceived);
            rawTimes.Add(rawTime);

            var clinic = Guid.NewGuid();
            clinics.Add(clinic);
            var (pipelineTime, relayTime) = await pipeline.MeasurePipeline(clinic, count);
            pipelineTimes.Add(pipelineTime);
            relayTimes.Add(relayTime);
        }

        foreach (var clinic in clinics)
        {
            var counts = await pipeline.Count(clinic);
            Assert.Equal((count, count), (counts.Effects, counts.DistinctEvents));
        }
        var total = await pipeline.Count(warmUp);
        Assert.Equal(new PipelineCounts(WarmUp, WarmUp, WarmUp + Rounds * count, WarmUp + Rounds * count, 0), total);

        double Rate(TimeSpan time) => count / time.TotalSeconds;
        string Each(List<TimeSpan> times) => string.Join(", ", times.Select(t => $"{Rate(t):F0}"));
        var pipelineRate = Rate(Median(pipelineTimes));
        var rawRate = Rate(Median(rawTimes));
        output.WriteLine($"""
            Pipeline benchmark, {count:N0} SessionMissed events of {size} bytes on the wire, {Rounds} rounds each (relay batch {batch}, consumer concurrency {pipeline.ConsumerConcurrency}, raw prefetch {RawPrefetch}):
              outbox -> relay (confirms) -> RabbitMQ -> consumer (inbox + effect): median {pipelineRate,6:F0} events/s (rounds: {Each(pipelineTimes)})
              of which the relay, to marking its last row sent:                   median {Rate(Median(relayTimes)),6:F0} events/s (rounds: {Each(relayTimes)})
              raw RabbitMQ.Client publish with confirms -> consume with ack:       median {rawRate,6:F0} events/s (rounds: {Each(rawTimes)})
              goal: >= 2,000 events/s and >= 0.2 x raw; every event took effect once
            """);
        BenchmarkReport.Write(output, BenchmarkReport.Rate("pipeline", pipelineRate, rawRate, "events/s"));
    }

    const int Rounds = 3;

    static TimeSpan Median(List<TimeSpan> times) => times.Order().ElementAt(times.Count / 2);

    /// <summary>
    /// Waits until the JIT has compiled nothing for half a second (at most 30 s). The tiered compiler recompiles the
    /// methods the warm-up made hot on one background thread, and its queue outlasts the warm-up by seconds: measured
    /// while it drains, a sixth of the cores went to it rather than to the path under test, which a long-running
    /// service never pays.
    /// </summary>
    static async Task LetTheJitSettle()
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        var compiled = System.Runtime.JitInfo.GetCompiledMethodCount();
        while (DateTime.UtcNow < deadline)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(500));
            var now = System.Runtime.JitInfo.GetCompiledMethodCount();
            if (now == compiled) return;
            compiled = now;
        }
    }
}
