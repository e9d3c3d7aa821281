using Dapper;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using VirtualIop.BuildingBlocks.Auth;
using VirtualIop.Contracts.Scheduling;
using VirtualIop.Scheduling.Workers;
using VirtualIop.TestSupport;

namespace VirtualIop.Scheduling.IntegrationTests;

[CollectionDefinition(Name)]
public sealed class SchedulingCollection : ICollectionFixture<PostgresServer>, ICollectionFixture<RabbitMqBroker>
{
    public const string Name = "Scheduling with PostgreSQL and RabbitMQ";
}

/// <summary>
/// The real Scheduling service in memory, on its own database and virtual host, with a probe bus
/// that receives what it publishes.
/// </summary>
public sealed class SchedulingService : ServiceUnderTest<Program>, IAsyncLifetime
{
    readonly RabbitMqBroker rabbitMq;

    public SchedulingService(PostgresServer postgres, RabbitMqBroker rabbitMq)
        : base(postgres, rabbitMq, "scheduling", PartnerScopes.Scheduling)
    {
        this.rabbitMq = rabbitMq;
        // The FHIR views' copy of attendance outcomes takes the same events as the makeup consumers the tests wait for;
        // the FHIR tests wait for its inbox rows instead.
        Consumed.Skipping(AttendanceOutcomeQueue);
    }

    /// <summary>The queue of the consumer that keeps attendance outcomes for the FHIR views.</summary>
    public const string AttendanceOutcomeQueue = "scheduling-record-attendance-outcome";

    /// <summary>
    /// The broker's management client keeps idle keep-alive connections that the management API closes after a while; the
    /// vhost PUT at start-up then fails with "response ended prematurely" when a test class starts long after the last.
    /// Cheap GETs first take any such stale connection out of the pool. (The lasting fix belongs in RabbitMqBroker: a
    /// SocketsHttpHandler with a short PooledConnectionIdleTimeout.)
    /// </summary>
    async Task IAsyncLifetime.InitializeAsync()
    {
        for (var attempt = 0; attempt < 5; attempt++)
        {
            try
            {
                using var probe = await rabbitMq.Management.GetAsync("api/overview");
                if (probe.IsSuccessStatusCode) break;
            }
            catch (HttpRequestException)
            {
                // A stale pooled connection: it is gone from the pool now; try again on a fresh one.
            }
        }
        await InitializeAsync();
    }

    protected override void RecordEvents(ProbeSubscriptions probe) =>
        probe.Record<SessionScheduled>().Record<SessionParticipantAdded>().Record<SessionParticipantRemoved>()
            .Record<SessionRescheduled>().Record<SessionCancelled>()
            .Record<MakeupOffered>().Record<MakeupBooked>().Record<MakeupCompleted>().Record<MakeupExpired>().Record<MakeupWithdrawn>()
            .Record<WaitlistPromoted>().Record<ProgramCreated>();

    const int RecordingWebhookClinics = 8;
    readonly Guid[] recordingWebhookClinics = Enumerable.Range(0, RecordingWebhookClinics).Select(_ => Guid.NewGuid()).ToArray();
    int recordingWebhookClinicsHandedOut = -1;

    /// <summary>A new clinic with a recording webhook secret configured (secrets are read at start, so a pool is set up front).</summary>
    public (Guid ClinicId, string Secret) NewRecordingWebhookClinic()
    {
        var clinicId = recordingWebhookClinics[Interlocked.Increment(ref recordingWebhookClinicsHandedOut)];
        return (clinicId, RecordingWebhookSecret(clinicId));
    }

    static string RecordingWebhookSecret(Guid clinicId) => $"recording-webhook-secret-{clinicId:N}";

    public const string JoinUrlTemplate = "https://join.virtualiop.test/s/{sessionId}";

    /// <summary>A horizon long enough that one weekly series crosses both DST changes of a year, whatever today is.</summary>
    protected override void Configure(IWebHostBuilder host)
    {
        host.UseSetting("Scheduling:SeriesHorizon", "400.00:00:00");
        foreach (var clinicId in recordingWebhookClinics) host.UseSetting($"Scheduling:RecordingWebhook:Secrets:{clinicId}", RecordingWebhookSecret(clinicId));
        host.UseSetting("Scheduling:CalendarFeeds:JoinUrlTemplate", JoinUrlTemplate);
    }

    /// <summary>One pass of the makeup expiry worker as if it ran at <paramref name="now"/>.</summary>
    public Task<int> ExpireMakeups(DateTimeOffset now) => Services.GetRequiredService<MakeupExpiryWorker>().RunOnce(now, CancellationToken.None);

    /// <summary>Makeups, bookings and waitlist entries the service holds for a clinic.</summary>
    public async Task<(int Makeups, int Bookings, int Waiting)> MakeupRowsFor(Guid clinicId)
    {
        await using var db = new NpgsqlConnection(DatabaseConnectionString);
        return await db.QuerySingleAsync<(int, int, int)>("""
            select (select count(*) from makeup where clinic_id = @Clinic)::int,
                   (select count(*) from booking where clinic_id = @Clinic)::int,
                   (select count(*) from waitlist_entry where clinic_id = @Clinic)::int
            """, new { Clinic = clinicId });
    }

    /// <summary>Runs SQL against the service's own database, as an operator or a migration would.</summary>
    public async Task Execute(string sql, object? parameters = null)
    {
        await using var db = new NpgsqlConnection(DatabaseConnectionString);
        await db.ExecuteAsync(sql, parameters);
    }

        /// <summary>Recording webhook deliveries the service took in for a clinic.</summary>
    public async Task<int> RecordingWebhookEventsFor(Guid clinicId)
    {
        await using var db = new NpgsqlConnection(DatabaseConnectionString);
        return await db.QuerySingleAsync<int>("select count(*)::int from recording_webhook_event where clinic_id = @Clinic", new { Clinic = clinicId });
    }

    /// <summary>Runs one pass of the worker that forgets old recording webhook event ids, at a time the test chooses.</summary>
    public Task<int> ForgetOldRecordingWebhookEvents(DateTimeOffset now) =>
        Services.GetRequiredService<RecordingWebhookEventRetention>().RunOnce(now, CancellationToken.None);

    /// <summary>The ids of the recording webhook deliveries the service keeps for a clinic.</summary>
    public async Task<IReadOnlyList<string>> RecordingWebhookEventIds(Guid clinicId)
    {
        await using var db = new NpgsqlConnection(DatabaseConnectionString);
        return (await db.QueryAsync<string>("select event_id from recording_webhook_event where clinic_id = @Clinic order by event_id", new { Clinic = clinicId })).AsList();
    }

    /// <summary>Records a delivery's id as taken in at <paramref name="receivedAt"/>, as the webhook does.</summary>
    public async Task AddRecordingWebhookEvent(Guid clinicId, string eventId, DateTimeOffset receivedAt)
    {
        await using var db = new NpgsqlConnection(DatabaseConnectionString);
        await db.ExecuteAsync("insert into recording_webhook_event (clinic_id, event_id, received_at) values (@Clinic, @EventId, @ReceivedAt)",
            new { Clinic = clinicId, EventId = eventId, ReceivedAt = receivedAt });
    }

    /// <summary>Moves a makeup's expiry, as if its offer had run out while it was held (its session moved past the offer's end).</summary>
    public async Task SetMakeupExpiry(Guid clinicId, Guid makeupId, DateTimeOffset expiresAt)
    {
        await using var db = new NpgsqlConnection(DatabaseConnectionString);
        await db.ExecuteAsync("update makeup set expires_at = @ExpiresAt where clinic_id = @Clinic and id = @Id",
            new { Clinic = clinicId, Id = makeupId, ExpiresAt = expiresAt });
    }

    /// <summary>How often a consumer recorded an event in the inbox.</summary>
    public async Task<int> InboxRows(Guid eventId, string consumer)
    {
        await using var db = new NpgsqlConnection(DatabaseConnectionString);
        return await db.ExecuteScalarAsync<int>("select count(*)::int from inbox_message where message_id = @Id and consumer = @Consumer",
            new { Id = eventId, Consumer = consumer });
    }

    /// <summary>The sessions of the outbox's events of one type (its name) about one patient of a clinic, oldest first.</summary>
    public async Task<IReadOnlyList<(Guid SessionId, long Version)>> OutboxEventsAbout(Guid clinicId, Guid patientId, string eventType)
    {
        await using var db = new NpgsqlConnection(DatabaseConnectionString);
        return (await db.QueryAsync<(Guid, long)>("""
            select (body ->> 'sessionId')::uuid, (body ->> 'version')::bigint from outbox_message
            where body ->> 'clinicId' = @Clinic and body ->> 'patientId' = @Patient and message_type like '%' || @Type
            order by id
            """, new { Clinic = clinicId.ToString(), Patient = patientId.ToString(), Type = eventType })).AsList();
    }

    /// <summary>The sessions of the outbox's events of one type (its name) in a clinic, oldest first.</summary>
    public async Task<IReadOnlyList<(Guid SessionId, long Version)>> OutboxEvents(Guid clinicId, string eventType)
    {
        await using var db = new NpgsqlConnection(DatabaseConnectionString);
        return (await db.QueryAsync<(Guid, long)>("""
            select (body ->> 'sessionId')::uuid, (body ->> 'version')::bigint from outbox_message
            where body ->> 'clinicId' = @Clinic and message_type like '%' || @Type
            order by id
            """, new { Clinic = clinicId.ToString(), Type = eventType })).AsList();
    }

    /// <summary>A patient's individual-therapy sessions as their rows hold them, earliest first.</summary>
    public async Task<IReadOnlyList<IndividualSessionRow>> IndividualSessionsOf(Guid clinicId, Guid patientId)
    {
        await using var db = new NpgsqlConnection(DatabaseConnectionString);
        return (await db.QueryAsync<IndividualSessionRow>("""
            select s.id as session_id, s.clinician_id, s.starts_at, s.status, s.cancel_reason, s.version from session s
            where s.clinic_id = @Clinic and s.kind = 'individualTherapy'
              and exists (select 1 from session_participant p where p.clinic_id = s.clinic_id and p.session_id = s.id and p.patient_id = @Patient)
            order by s.starts_at
            """, new { Clinic = clinicId, Patient = patientId })).AsList();
    }

    public sealed class IndividualSessionRow
    {
        public Guid SessionId { get; set; }
        public Guid? ClinicianId { get; set; }
        public DateTimeOffset StartsAt { get; set; }
        public string Status { get; set; } = "";
        public string? CancelReason { get; set; }
        public long Version { get; set; }
    }

    /// <summary>Per local week of a cohort's scheduled sessions: how many, and how many each of two patients is on.</summary>
    public async Task<IReadOnlyList<(int Sessions, int Patient, int Other)>> ParticipationByWeek(Guid clinicId, Guid cohortId, Guid patient, Guid other)
    {
        await using var db = new NpgsqlConnection(DatabaseConnectionString);
        return (await db.QueryAsync<(int, int, int)>("""
            select count(*)::int,
                   count(*) filter (where exists (select 1 from session_participant p where p.clinic_id = s.clinic_id and p.session_id = s.id and p.patient_id = @Patient))::int,
                   count(*) filter (where exists (select 1 from session_participant p where p.clinic_id = s.clinic_id and p.session_id = s.id and p.patient_id = @Other))::int
            from session s where s.clinic_id = @Clinic and s.cohort_id = @Cohort and s.status = 'scheduled'
            group by date_trunc('week', s.starts_at at time zone s.time_zone)
            order by date_trunc('week', s.starts_at at time zone s.time_zone)
            """, new { Clinic = clinicId, Cohort = cohortId, Patient = patient, Other = other })).AsList();
    }

    /// <summary>A session's version as its row holds it.</summary>
    public async Task<long> SessionVersion(Guid clinicId, Guid sessionId)
    {
        await using var db = new NpgsqlConnection(DatabaseConnectionString);
        return await db.ExecuteScalarAsync<long>("select version from session where clinic_id = @Clinic and id = @Id", new { Clinic = clinicId, Id = sessionId });
    }

    /// <summary>A makeup's version as its row holds it.</summary>
    public async Task<long> MakeupVersion(Guid clinicId, Guid makeupId)
    {
        await using var db = new NpgsqlConnection(DatabaseConnectionString);
        return await db.ExecuteScalarAsync<long>("select version from makeup where clinic_id = @Clinic and id = @Id", new { Clinic = clinicId, Id = makeupId });
    }

    /// <summary>One pass of the series horizon worker as if it ran at <paramref name="now"/>.</summary>
    public Task<int> RollSeriesHorizon(DateTimeOffset now) => Services.GetRequiredService<SeriesHorizonWorker>().RunOnce(now, CancellationToken.None);

    /// <summary>
    /// Locks a cohort row from outside the service, as a long enrolment would, until the returned transaction ends; the
    /// test decides who queues behind it.
    /// </summary>
    public async Task<(NpgsqlConnection Connection, NpgsqlTransaction Lock)> HoldCohort(Guid clinicId, Guid cohortId)
    {
        var db = new NpgsqlConnection(DatabaseConnectionString);
        await db.OpenAsync();
        var tx = await db.BeginTransactionAsync();
        await db.ExecuteAsync("select 1 from cohort where clinic_id = @Clinic and id = @Id for update", new { Clinic = clinicId, Id = cohortId }, tx);
        return (db, tx);
    }

    /// <summary>How many sessions of the service's database wait for a row or transaction lock right now.</summary>
    public async Task<int> LockWaiters()
    {
        await using var db = new NpgsqlConnection(DatabaseConnectionString);
        return await db.ExecuteScalarAsync<int>("""
            select count(*)::int from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'
            """);
    }

    /// <summary>What the service wrote for a clinic's sessions, read straight from its own database (a program's ProgramCreated is not a session event).</summary>
    public async Task<(int Sessions, int Participants, int Events)> RowsFor(Guid clinicId)
    {
        await using var db = new NpgsqlConnection(DatabaseConnectionString);
        return await db.QuerySingleAsync<(int, int, int)>("""
            select (select count(*) from session where clinic_id = @Clinic)::int,
                   (select count(*) from session_participant where clinic_id = @Clinic)::int,
                   (select count(*) from outbox_message where body ->> 'clinicId' = @ClinicText and message_type not like '%ProgramCreated%')::int
            """, new { Clinic = clinicId, ClinicText = clinicId.ToString() });
    }

    /// <summary>Programs, cohorts and enrolments (active or ended) the service holds for a clinic.</summary>
    public async Task<(int Programs, int Cohorts, int Enrolments)> ProgramRowsFor(Guid clinicId)
    {
        await using var db = new NpgsqlConnection(DatabaseConnectionString);
        return await db.QuerySingleAsync<(int, int, int)>("""
            select (select count(*) from program where clinic_id = @Clinic)::int,
                   (select count(*) from cohort where clinic_id = @Clinic)::int,
                   (select count(*) from enrolment where clinic_id = @Clinic)::int
            """, new { Clinic = clinicId });
    }
}
