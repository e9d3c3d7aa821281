using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using VirtualIop.Attendance.Data;
using VirtualIop.BuildingBlocks.Auth;
using VirtualIop.TestSupport;
using Xunit.Abstractions;

namespace VirtualIop.Attendance.IntegrationTests.Benchmarks;

/// <summary>
/// The service on its own database, with its relay and background sweep idle (hour-long intervals), so the benchmark
/// measures the sweep statement alone and 100,000 SessionMissed rows are not published to the broker afterwards.
/// </summary>
public sealed class IdleAttendanceService(PostgresServer postgres, RabbitMqBroker rabbitMq)
    : ServiceUnderTest<Program>(postgres, rabbitMq, "attendance", PartnerScopes.Attendance)
{
    protected override void Configure(IWebHostBuilder host)
    {
        host.UseSetting("Messaging:OutboxPollInterval", "01:00:00");
        host.UseSetting("Attendance:SweepInterval", "01:00:00");
    }

    protected override void RecordEvents(ProbeSubscriptions probe)
    {
    }

    public SweepBenchmark Benchmark() => new(DatabaseConnectionString, Services.GetRequiredService<NoShows>());
}

/// <summary>Run alone with: dotnet test tests/VirtualIop.Attendance.IntegrationTests --filter Category=Benchmark --logger "console;verbosity=detailed"</summary>
[Collection(AttendanceCollection.Name)]
public sealed class SweepBenchmarkTests(IdleAttendanceService attendance, ITestOutputHelper output) : IClassFixture<IdleAttendanceService>
{
    const int Sessions = 10_000;
    const int PatientsPerSession = 10;
    const int Programs = 100;
    const int SweepBatchSize = 10_000;

    [Fact]
    [Trait("Category", "Benchmark")]
    public async Task Sweep_of_100000_records_due_at_once_decides_every_one_and_writes_every_outbox_row()
    {
        var clinicId = Guid.NewGuid();
        var dueAt = DateTimeOffset.UtcNow.AddDays(1);
        var now = dueAt.AddMinutes(1);
        var benchmark = attendance.Benchmark();
        await benchmark.Seed(clinicId, Sessions, PatientsPerSession, Programs, dueAt);

        var baseline = await benchmark.MeasurePlainUpdate(clinicId, now);
        var sweep = await benchmark.MeasureSweep(now, SweepBatchSize);

        output.WriteLine($"records: {Sessions * PatientsPerSession:N0} ({Sessions:N0} sessions × {PatientsPerSession}, in {Programs} programs), sweep batch {SweepBatchSize:N0} sessions");
        output.WriteLine($"baseline plain UPDATE: {baseline.TotalMilliseconds:F0} ms");
        output.WriteLine($"sweep (claim + sessions + records + outbox + policy queue): {sweep.Elapsed.TotalMilliseconds:F0} ms in {sweep.Passes} passes");
        output.WriteLine($"ratio sweep / baseline: {sweep.Elapsed / baseline:F2}");
        var records = Sessions * PatientsPerSession;
        BenchmarkReport.Write(output, BenchmarkReport.Rate("sweep", records / sweep.Elapsed.TotalSeconds, records / baseline.TotalSeconds, "records/s"));
        Assert.Equal((Sessions, Sessions * PatientsPerSession), (sweep.Sessions, sweep.NoShows));
        Assert.Equal((Sessions * PatientsPerSession, Sessions * PatientsPerSession, Sessions), await benchmark.Count(clinicId));
    }
}
