using VirtualIop.TestSupport;
using Xunit.Abstractions;

namespace VirtualIop.BuildingBlocks.IntegrationTests.Benchmarks;

/// <summary>
/// Durable events per second through outbox, relay, RabbitMQ and an inbox consumer, against a raw RabbitMQ.Client
/// publish-with-confirms and consume-with-ack loop of the same message size, in one run. It prints both rates and their
/// ratio and asserts only correctness: every event took effect once. N is VIRTUALIOP_PIPELINE_BENCH_COUNT (default
/// 1,000 so the suite stays quick; scripts/bench.sh runs the full size).
/// Run alone with: dotnet test tests/VirtualIop.BuildingBlocks.IntegrationTests --filter Category=Benchmark --logger "console;verbosity=detailed"
/// </summary>
[Collection(MessagingCollection.Name)]
public sealed class PipelineBenchmarkTests(PostgresServer postgres, RabbitMqBroker rabbitMq, ITestOutputHelper output) : IAsyncLifetime
{
    const string CountVariable = "VIRTUALIOP_PIPELINE_BENCH_COUNT";
    const int WarmUp = 200;
    const ushort RawPrefetch = 100;

    string connectionString = "";
    Uri broker = null!;

    static int Count => int.TryParse(Environment.GetEnvironmentVariable(CountVariable), out var n) && n > 0 ? n : 1_000;

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
        var clinic = Guid.NewGuid();
        TimeSpan pipelineTime, relayTime;
        int size, batch, concurrency;
        await using (var pipeline = await PipelineBenchmark.Start(connectionString, broker))
        {
            // Both paths start warm: the pipeline has run events end to end, and the raw loop a round, before the clocks start.
            await pipeline.MeasurePipeline(Guid.NewGuid(), WarmUp);
            (pipelineTime, relayTime) = await pipeline.MeasurePipeline(clinic, count);

            var counts = await pipeline.Count(clinic);
            Assert.Equal(new PipelineCounts(count, count, count + WarmUp, count + WarmUp, 0), counts);
            size = pipeline.MessageSize;
            batch = pipeline.RelayBatchSize;
            concurrency = pipeline.ConsumerConcurrency;
        }

        await PipelineBenchmark.MeasureRawLoop(broker, WarmUp, size, batch, RawPrefetch);
        var (rawTime, rawReceived) = await PipelineBenchmark.MeasureRawLoop(broker, count, size, batch, RawPrefetch);
        Assert.Equal(count, rawReceived);

        var pipelineRate = count / pipelineTime.TotalSeconds;
        var rawRate = count / rawTime.TotalSeconds;
        output.WriteLine($"""
            Pipeline benchmark, {count:N0} SessionMissed events of {size} bytes on the wire (relay batch {batch}, consumer concurrency {concurrency}, raw prefetch {RawPrefetch}):
              outbox -> relay (confirms) -> RabbitMQ -> consumer (inbox + effect): {pipelineTime.TotalSeconds,7:F2} s {pipelineRate,8:F0} events/s
              of which the relay marked the last row sent after:                 {relayTime.TotalSeconds,7:F2} s {count / relayTime.TotalSeconds,8:F0} events/s
              raw RabbitMQ.Client publish with confirms -> consume with ack:      {rawTime.TotalSeconds,7:F2} s {rawRate,8:F0} events/s
              goal: >= 2,000 events/s and >= 0.2 x raw; every event took effect once
            """);
        BenchmarkReport.Write(output, BenchmarkReport.Rate("pipeline", pipelineRate, rawRate, "events/s"));
    }
}
