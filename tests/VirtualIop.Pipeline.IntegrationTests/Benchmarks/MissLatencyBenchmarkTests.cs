using VirtualIop.TestSupport;
using Xunit.Abstractions;

namespace VirtualIop.Pipeline.IntegrationTests.Benchmarks;

[CollectionDefinition(Name)]
public sealed class FlowCollection : ICollectionFixture<PostgresServer>, ICollectionFixture<RabbitMqBroker>
{
    public const string Name = "Services of a flow together on PostgreSQL and RabbitMQ";
}

/// <summary>
/// The latency from a no-show decision to the "we missed you" email accepted by the SMTP server and to the follow-up
/// task committed in Engagement, at a steady rate of misses: p50, p95 and p99 (goal: p99 under 1 s). It asserts only
/// correctness: every miss got one email and one task. The rate is VIRTUALIOP_LATENCY_BENCH_RATE misses per second
/// (default 100) for VIRTUALIOP_LATENCY_BENCH_SECONDS (default 3 so the suite stays quick; scripts/bench.sh runs 60).
/// Run alone with: dotnet test tests/VirtualIop.Pipeline.IntegrationTests --filter Category=Benchmark --logger "console;verbosity=detailed"
/// </summary>
[Collection(FlowCollection.Name)]
public sealed class MissLatencyBenchmarkTests(PostgresServer postgres, RabbitMqBroker rabbitMq, ITestOutputHelper output)
{
    static int Rate => Setting("VIRTUALIOP_LATENCY_BENCH_RATE", 100);

    static int Seconds => Setting("VIRTUALIOP_LATENCY_BENCH_SECONDS", 3);

    static int Setting(string variable, int fallback) => int.TryParse(Environment.GetEnvironmentVariable(variable), out var n) && n > 0 ? n : fallback;

    [Fact]
    [Trait("Category", "Benchmark")]
    public async Task Every_decided_miss_gets_one_email_and_one_follow_up_and_the_flow_reports_its_latency()
    {
        MissLatencyRun run;
        await using (var flow = await MissLatencyBenchmark.Start(postgres, rabbitMq))
        {
            run = await flow.Run(Guid.NewGuid(), Rate, TimeSpan.FromSeconds(Seconds));
        }

        output.WriteLine($"""
            Miss latency benchmark: {run.Misses:N0} no-shows decided at {Rate}/s for {Seconds} s (decided over {run.DecisionSpan.TotalSeconds:F1} s, sweep every 1 s),
            from the sweep's decision to the "we missed you" email accepted by SMTP, and to the follow-up task committed in Engagement (goal: p99 < 1,000 ms).
            """);
        foreach (var (stage, samples) in run.EmailStages)
            output.WriteLine($"  {stage}: {BenchmarkReport.Percentiles(samples)}");
        BenchmarkReport.Write(output, BenchmarkReport.Latency("miss-to-email", run.ToEmail));
        BenchmarkReport.Write(output, BenchmarkReport.Latency("miss-to-follow-up", run.ToTask));
        Assert.Equal((run.Misses, run.Misses, run.Misses, run.Misses, run.Misses, run.Misses),
            (run.Decided, run.Emails, run.PatientsEmailed, run.Tasks, run.ToEmail.Count, run.ToTask.Count));
    }
}
