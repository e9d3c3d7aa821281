using Dapper;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using VirtualIop.Attendance.Data;
using VirtualIop.Attendance.Workers;
using VirtualIop.BuildingBlocks.Auth;
using VirtualIop.Contracts.Attendance;
using VirtualIop.Contracts.Scheduling;
using VirtualIop.TestSupport;

namespace VirtualIop.Attendance.IntegrationTests;

[CollectionDefinition(Name)]
public sealed class AttendanceCollection : ICollectionFixture<PostgresServer>, ICollectionFixture<RabbitMqBroker>
{
    public const string Name = "Attendance with PostgreSQL and RabbitMQ";
}

/// <summary>
/// The real Attendance service in memory, on its own database and virtual host. A probe bus plays
/// Scheduling (publishes SessionScheduled) and the downstream services (receives SessionAttended/SessionMissed).
/// </summary>
public sealed class AttendanceService(PostgresServer postgres, RabbitMqBroker rabbitMq)
    : ServiceUnderTest<Program>(postgres, rabbitMq, "attendance", PartnerScopes.Attendance)
{
    public static readonly TimeSpan NoShowGrace = TimeSpan.FromMinutes(15);

    /// <summary>The service's clock; real time unless a test sets it.</summary>
    public SettableClock Clock { get; } = new();

    const int TelehealthClinics = 16;
    readonly Guid[] telehealthClinics = Enumerable.Range(0, TelehealthClinics).Select(_ => Guid.NewGuid()).ToArray();
    int telehealthClinicsHandedOut = -1;

    /// <summary>A new clinic with a telehealth webhook secret configured (secrets are read at start, so a pool is set up front).</summary>
    public (Guid ClinicId, string Secret) NewTelehealthClinic()
    {
        var clinicId = telehealthClinics[Interlocked.Increment(ref telehealthClinicsHandedOut)];
        return (clinicId, TelehealthSecret(clinicId));
    }

    static string TelehealthSecret(Guid clinicId) => $"telehealth-secret-{clinicId:N}";

    /// <summary>Two clinics that one telehealth platform account signs for with one secret.</summary>
    public (Guid ClinicA, Guid ClinicB, string Secret) ClinicsSharingATelehealthSecret { get; } =
        (Guid.NewGuid(), Guid.NewGuid(), $"shared-telehealth-secret-{Guid.NewGuid():N}");

    protected override void Configure(IWebHostBuilder host)
    {
        foreach (var clinicId in telehealthClinics) host.UseSetting($"Attendance:Telehealth:Secrets:{clinicId}", TelehealthSecret(clinicId));
        var (sharingA, sharingB, shared) = ClinicsSharingATelehealthSecret;
        foreach (var clinicId in new[] { sharingA, sharingB }) host.UseSetting($"Attendance:Telehealth:Secrets:{clinicId}", shared);
        host.UseSetting("Attendance:NoShowGrace", NoShowGrace.ToString());
        // Tests run evaluation passes at the instants they choose.
        host.UseSetting("Attendance:PolicyEvaluationInterval", "01:00:00");
        host.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(Clock));
    }

    protected override void RecordEvents(ProbeSubscriptions probe) => probe.Record<SessionAttended>().Record<SessionMissed>().Record<AbsenceNotified>().Record<AbsenceNoticeWithdrawn>()
        .Record<AttendanceWarning>().Record<PolicyBreached>().Record<AttendanceCorrected>();

    /// <summary>The sweep the service runs in the background; tests run passes at a time they choose.</summary>
    public NoShowSweep Sweep => Services.GetRequiredService<NoShowSweep>();

    /// <summary>The service's meter factory: a listener tells this service's meters from other fixtures' by their scope.</summary>
    public System.Diagnostics.Metrics.IMeterFactory Meters => Services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>();

    /// <summary>The policy evaluator the service runs in the background; tests run passes at a time they choose.</summary>
    public PolicyEvaluator Evaluator => Services.GetRequiredService<PolicyEvaluator>();

    /// <summary>The worker that forgets old telehealth event ids; tests run passes at a time they choose.</summary>
    public TelehealthEventRetention TelehealthRetention => Services.GetRequiredService<TelehealthEventRetention>();

    /// <summary>A session as Scheduling would announce it: starting in an hour (so the background sweep leaves it alone).</summary>
    public static SessionScheduled NewSession(Guid clinicId, int patients) => NewSession(clinicId, DateTimeOffset.UtcNow.AddHours(1), patients);

    public static SessionScheduled NewSession(Guid clinicId, DateTimeOffset startsAt, int patients)
    {
        var start = new DateTimeOffset(startsAt.UtcDateTime.AddTicks(-(startsAt.UtcTicks % TimeSpan.TicksPerSecond)), TimeSpan.Zero);
        return new SessionScheduled(Guid.CreateVersion7(), clinicId, Guid.CreateVersion7(), "groupTherapy", start, start.AddMinutes(90),
            "America/Chicago", Enumerable.Range(0, patients).Select(_ => Guid.NewGuid()).ToList());
    }

    /// <summary>Publishes the session on the broker and waits until the service has taken it in.</summary>
    public async Task Schedule(SessionScheduled session)
    {
        await Broker.Publish(session);
        await Consumed.WaitFor(session.EventId, times: 1);
    }

    /// <summary>A program as Scheduling announces its creation; returns its id once the service has taken the event in.</summary>
    public async Task<Guid> CreateProgram(Guid clinicId)
    {
        var created = new ProgramCreated(Guid.CreateVersion7(), clinicId, Guid.CreateVersion7(), DateTimeOffset.UtcNow);
        await Broker.Publish(created);
        await Consumed.WaitFor(created.EventId, times: 1);
        return created.ProgramId;
    }

    /// <summary>The service's own database, for asserting on its rows.</summary>
    public string ConnectionString => DatabaseConnectionString;

    public async Task<int> SessionMissedRowsInOutbox(Guid sessionId)
    {
        await using var db = new NpgsqlConnection(DatabaseConnectionString);
        return await db.ExecuteScalarAsync<int>("""
            select count(*)::int from outbox_message
            where message_type = 'VirtualIop.Contracts.Attendance.SessionMissed' and body ->> 'sessionId' = @Session
            """, new { Session = sessionId.ToString() });
    }

    public async Task<int> TelehealthEventRows(Guid clinicId)
    {
        await using var db = new NpgsqlConnection(DatabaseConnectionString);
        return await db.ExecuteScalarAsync<int>("select count(*)::int from telehealth_event where clinic_id = @Clinic", new { Clinic = clinicId });
    }

    public async Task<string[]> TelehealthEventIds(Guid clinicId)
    {
        await using var db = new NpgsqlConnection(DatabaseConnectionString);
        return (await db.QueryAsync<string>("select event_id from telehealth_event where clinic_id = @Clinic order by event_id", new { Clinic = clinicId }))
            .ToArray();
    }

    public async Task<int> AbsenceNoticeRows(Guid clinicId)
    {
        await using var db = new NpgsqlConnection(DatabaseConnectionString);
        return await db.ExecuteScalarAsync<int>("select count(*)::int from absence_notice where clinic_id = @Clinic", new { Clinic = clinicId });
    }

    public async Task<int> PresenceIntervals(Guid sessionId)
    {
        await using var db = new NpgsqlConnection(DatabaseConnectionString);
        return await db.ExecuteScalarAsync<int>("select count(*)::int from presence_interval where session_id = @Session", new { Session = sessionId });
    }

    public async Task<int> PresenceIntervals(Guid sessionId, Guid participantId)
    {
        await using var db = new NpgsqlConnection(DatabaseConnectionString);
        return await db.ExecuteScalarAsync<int>("select count(*)::int from presence_interval where session_id = @Session and participant_id = @Participant",
            new { Session = sessionId, Participant = participantId });
    }

    public async Task<int> UnsentOutboxRows()
    {
        await using var db = new NpgsqlConnection(DatabaseConnectionString);
        return await db.ExecuteScalarAsync<int>("select count(*)::int from outbox_message where sent_at is null");
    }

    public async Task<int> PendingPresenceRows(Guid clinicId)
    {
        await using var db = new NpgsqlConnection(DatabaseConnectionString);
        return await db.ExecuteScalarAsync<int>("select count(*)::int from pending_presence where clinic_id = @Clinic", new { Clinic = clinicId });
    }

    public async Task<int> PendingPresenceRows(Guid clinicId, Guid sessionId)
    {
        await using var db = new NpgsqlConnection(DatabaseConnectionString);
        return await db.ExecuteScalarAsync<int>("select count(*)::int from pending_presence where clinic_id = @Clinic and session_id = @Session",
            new { Clinic = clinicId, Session = sessionId });
    }

    /// <summary>The worker that purges presence held for sessions that never came; tests run passes at a time they choose.</summary>
    public PendingPresencePurge PendingPresencePurge => Services.GetRequiredService<PendingPresencePurge>();

    /// <summary>What the consumers of Scheduling's session events call, for tests that deliver events in a chosen order.</summary>
    public SessionChanges SessionChanges => Services.GetRequiredService<SessionChanges>();

    /// <summary>What the check-in API calls, for tests that take presence in a chosen order with Scheduling's events.</summary>
    public AttendanceSessions Sessions => Services.GetRequiredService<AttendanceSessions>();

    /// <summary>Publishes an event on the broker and waits until the service has taken it in.</summary>
    public async Task Deliver<T>(T message) where T : class, VirtualIop.Contracts.IIntegrationEvent
    {
        await Broker.Publish(message);
        await Consumed.WaitFor(message.EventId, times: 1);
    }

    public async Task<int> AttendanceRows(Guid clinicId)
    {
        await using var db = new NpgsqlConnection(DatabaseConnectionString);
        return await db.ExecuteScalarAsync<int>("select count(*)::int from attendance_record where clinic_id = @Clinic", new { Clinic = clinicId });
    }
}
