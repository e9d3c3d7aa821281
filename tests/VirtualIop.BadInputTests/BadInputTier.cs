using System.Diagnostics;
using System.Globalization;
using VirtualIop.TestSupport;
using Xunit.Abstractions;

namespace VirtualIop.BadInputTests;

[CollectionDefinition(Name)]
public sealed class BadInputCollection : ICollectionFixture<PostgresServer>, ICollectionFixture<RabbitMqBroker>
{
    public const string Name = "Bad input with PostgreSQL and RabbitMQ";
}

/// <summary>
/// The bad-input tier: every route of every service, enumerated from its host's endpoint data source, against a corpus of
/// malformed and hostile requests. Each answer must be a 4xx problem (a 400 naming the field), never a 5xx, and the
/// service's database must hold the same rows after a route's bad requests as before.
/// </summary>
[Collection(BadInputCollection.Name)]
[Trait("Category", "BadInput")]
public sealed class BadInputTier(PostgresServer postgres, RabbitMqBroker rabbitMq, ITestOutputHelper output)
{
    [Fact]
    public async Task Every_route_of_every_service_refuses_bad_input_with_a_problem_and_writes_nothing()
    {
        var clock = Stopwatch.StartNew();
        IServiceHost[] hosts =
        [
            new SchedulingHost(postgres, rabbitMq), new AttendanceHost(postgres, rabbitMq),
            new NotificationHost(postgres, rabbitMq), new EngagementHost(postgres, rabbitMq),
        ];
        var tally = new Tally();
        try
        {
            foreach (var host in hosts) await host.InitializeAsync();
            var routes = await Task.WhenAll(hosts.Select(host => CorpusRun.Run(host, tally)).Append(TokenCorpus.Run(tally)));
            output.WriteLine(FormattableString.Invariant($"{routes.Sum()} routes in {clock.Elapsed.TotalSeconds:F0} s"));
            // A service whose routes the catalog failed to find would pass with nothing sent.
            Assert.DoesNotContain(0, routes);
        }
        finally
        {
            foreach (var host in hosts) await host.DisposeAsync();
        }

        var offences = tally.Offences.OrderBy(o => o.Service, StringComparer.Ordinal).ThenBy(o => o.Route, StringComparer.Ordinal)
            .ThenBy(o => o.Case, StringComparer.Ordinal).ToList();
        foreach (var route in tally.Statuses.GroupBy(s => s.Key.Route).OrderBy(g => g.Key, StringComparer.Ordinal))
            output.WriteLine($"{route.Key}: {string.Join(", ", route.OrderBy(s => s.Key.Status).Select(s => $"{s.Key.Status}×{s.Value}"))}");
        foreach (var offence in offences) output.WriteLine(offence.ToString());
        foreach (var (cause, times) in ErrorLog.Causes.OrderBy(c => c.Key, StringComparer.Ordinal)) output.WriteLine($"{times}x {cause}");
        BenchmarkReport.Write(output, string.Create(CultureInfo.InvariantCulture,
            $"bad-input: {tally.Requests} requests, {tally.ServerErrors} 5xx, {tally.Writes} writes"));
        Assert.True(offences.Count == 0,
            $"{offences.Count} bad-input offence(s) ({tally.ServerErrors} 5xx, {tally.Writes} rows written):{Environment.NewLine}"
            + string.Join(Environment.NewLine, offences.Take(400)));
    }
}
