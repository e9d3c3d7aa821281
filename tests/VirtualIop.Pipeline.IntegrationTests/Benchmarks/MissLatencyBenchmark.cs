extern alias attendance;
extern alias engagement;
extern alias notification;
using Dapper;
using Npgsql;
using VirtualIop.TestSupport;

namespace VirtualIop.Pipeline.IntegrationTests.Benchmarks;

/// <summary>
/// The time from a no-show decision to its two effects, through the real services: Attendance's sweep decides the
/// no-shows and commits their SessionMissed rows; its outbox relay publishes them; Notification queues the "we missed
/// you" email and its dispatcher sends it to a <see cref="TimestampingSmtpServer"/>; Engagement opens the follow-up
/// task. Attendance, Notification and Engagement run in this process on their own databases, sharing one virtual host,
/// each with its own appsettings.json (so the relay and dispatcher intervals measured are the shipped ones). Only the
/// sweep interval is set, to one second, so that decisions come at the requested rate rather than in half-minute
/// bursts; the sweep's own delay is not measured: each latency starts at the record's decided_at (the sweep's time,
/// also its outbox row's occurred_at) and ends at the moment the SMTP server accepted the email, or at the task's
/// created_at in Engagement. Free of any test framework: it returns the samples and counts.
/// </summary>
public sealed class MissLatencyBenchmark : IAsyncDisposable
{
    public const int PatientsPerSession = 10;
    const string MissedSubject = "We missed you";
    const string MailDomain = "miss.bench.example.test";
    static readonly TimeSpan Lead = TimeSpan.FromSeconds(3);

    readonly PostgresServer postgres;
    readonly RabbitMqBroker rabbitMq;
    readonly Uri broker;
    readonly TimestampingSmtpServer smtp;
    readonly FlowService<attendance::Program> attendance;
    readonly FlowService<notification::Program> notification;
    readonly FlowService<engagement::Program> engagement;

    MissLatencyBenchmark(PostgresServer postgres, RabbitMqBroker rabbitMq, Uri broker, TimestampingSmtpServer smtp,
        FlowService<attendance::Program> attendance, FlowService<notification::Program> notification, FlowService<engagement::Program> engagement)
    {
        this.postgres = postgres;
        this.rabbitMq = rabbitMq;
        this.broker = broker;
        this.smtp = smtp;
        this.attendance = attendance;
        this.notification = notification;
        this.engagement = engagement;
    }

    /// <summary>Starts the SMTP server and the three services; the consumers' queues are bound before the producer starts.</summary>
    public static async Task<MissLatencyBenchmark> Start(PostgresServer postgres, RabbitMqBroker rabbitMq)
    {
        var broker = await rabbitMq.NewVirtualHostAsync("misslatency");
        var smtp = new TimestampingSmtpServer();
        var notification = FlowService<notification::Program>.Start("notification", postgres.NewDatabaseConnectionString("notification"), broker,
            new Dictionary<string, string> { ["Smtp:Host"] = "127.0.0.1", ["Smtp:Port"] = smtp.Port.ToString() });
        var engagement = FlowService<engagement::Program>.Start("engagement", postgres.NewDatabaseConnectionString("engagement"), broker,
            new Dictionary<string, string>());
        var attendance = FlowService<attendance::Program>.Start("attendance", postgres.NewDatabaseConnectionString("attendance"), broker,
            new Dictionary<string, string> { ["Attendance:SweepInterval"] = "00:00:01" });
        return new MissLatencyBenchmark(postgres, rabbitMq, broker, smtp, attendance, notification, engagement);
    }

    /// <summary>
    /// Seeds sessions of <see cref="PatientsPerSession"/> pending patients, each with an email contact in Notification,
    /// coming due one after another so that <paramref name="missesPerSecond"/> no-shows are decided each second for
    /// <paramref name="duration"/>; waits until every email was accepted and every task committed (or times out), and
    /// returns the latencies.
    /// </summary>
    public async Task<MissLatencyRun> Run(Guid clinicId, int missesPerSecond, TimeSpan duration)
    {
        var sessions = Math.Max(1, (int)Math.Round(missesPerSecond * duration.TotalSeconds / PatientsPerSession));
        var misses = sessions * PatientsPerSession;
        var spacing = TimeSpan.FromSeconds((double)PatientsPerSession / missesPerSecond);
        var patients = await SeedAttendance(clinicId, sessions, DateTimeOffset.UtcNow + Lead, spacing);
        await SeedContacts(clinicId, patients);

        var timeout = Lead + duration + TimeSpan.FromMinutes(5);
        // Cheap polls, so that waiting takes little from the services being measured.
        await Eventually.Until(() => Task.FromResult(smtp.DistinctRecipients), n => n >= misses, $"emails accepted for all {misses} patients", timeout);
        await Eventually.Until(() => TaskCount(clinicId), n => n >= misses, $"{misses} follow-up tasks committed", timeout);

        var decided = await Decisions(clinicId);
        var mails = MissedMails(patients);
        var tasks = await Tasks(clinicId);
        var firstMail = mails.GroupBy(m => m.Patient).ToDictionary(g => g.Key, g => g.Min(m => m.At));
        var published = await Published(clinicId);
        var queued = await Queued(clinicId);
        return new MissLatencyRun(
            misses,
            decided.Count,
            mails.Count,
            firstMail.Count,
            tasks.Count,
            decided.Count == 0 ? TimeSpan.Zero : decided.Values.Max() - decided.Values.Min(),
            firstMail.Where(m => decided.ContainsKey(m.Key)).Select(m => m.Value - decided[m.Key]).ToList(),
            tasks.Where(t => decided.ContainsKey(t.Key)).Select(t => t.Value - decided[t.Key]).ToList(),
            [
                ("decision -> relay marked its row sent", published.Where(p => decided.ContainsKey(p.Key)).Select(p => p.Value - decided[p.Key]).ToList()),
                ("relay -> Notification queued the email", queued.Where(q => published.ContainsKey(q.Key)).Select(q => q.Value - published[q.Key]).ToList()),
                ("queued -> SMTP accepted the email", firstMail.Where(m => queued.ContainsKey(m.Key)).Select(m => m.Value - queued[m.Key]).ToList())
            ]);
    }

    async Task<int> TaskCount(Guid clinicId)
    {
        await using var connection = new NpgsqlConnection(engagement.DatabaseConnectionString);
        return await connection.ExecuteScalarAsync<int>(
            "select count(*)::int from follow_up_task where clinic_id = @Clinic and reason = 'sessionMissed'", new { Clinic = clinicId });
    }

    /// <summary>When the relay marked each patient's SessionMissed row sent (after its broker confirm).</summary>
    async Task<Dictionary<Guid, DateTimeOffset>> Published(Guid clinicId)
    {
        await using var connection = new NpgsqlConnection(attendance.DatabaseConnectionString);
        return (await connection.QueryAsync<(Guid Patient, DateTimeOffset SentAt)>("""
                select (body ->> 'patientId')::uuid, sent_at from outbox_message
                where message_type = 'VirtualIop.Contracts.Attendance.SessionMissed' and body ->> 'clinicId' = @Clinic and sent_at is not null
                """, new { Clinic = clinicId.ToString() }))
            .GroupBy(r => r.Patient).ToDictionary(g => g.Key, g => g.Min(r => r.SentAt));
    }

    /// <summary>When Notification's consumer queued each patient's "we missed you" delivery.</summary>
    async Task<Dictionary<Guid, DateTimeOffset>> Queued(Guid clinicId)
    {
        await using var connection = new NpgsqlConnection(notification.DatabaseConnectionString);
        return (await connection.QueryAsync<(Guid Patient, DateTimeOffset CreatedAt)>(
                "select patient_id, created_at from delivery where clinic_id = @Clinic and kind = 'missedSession'", new { Clinic = clinicId }))
            .GroupBy(r => r.Patient).ToDictionary(g => g.Key, g => g.Min(r => r.CreatedAt));
    }

    async Task<IReadOnlySet<Guid>> SeedAttendance(Guid clinicId, int sessions, DateTimeOffset firstDue, TimeSpan spacing)
    {
        await using var connection = new NpgsqlConnection(attendance.DatabaseConnectionString);
        var patients = await connection.QueryAsync<Guid>("""
            with s as (
                select n, gen_random_uuid() as id, @FirstDue + n * @Spacing as due_at
                from generate_series(0, @Sessions - 1) as n
            ), session as (
                insert into attendance_session (clinic_id, id, starts_at, ends_at, time_zone, no_show_due_at, recorded_at)
                select @Clinic, id, due_at - interval '105 minutes', due_at - interval '15 minutes', 'America/Chicago', due_at, now()
                from s
                returning id
            )
            insert into attendance_record (clinic_id, session_id, patient_id, position)
            select @Clinic, session.id, gen_random_uuid(), p
            from session cross join generate_series(1, @Patients) as p
            returning patient_id
            """, new { Clinic = clinicId, FirstDue = firstDue, Spacing = spacing, Sessions = sessions, Patients = PatientsPerSession });
        return patients.ToHashSet();
    }

    async Task SeedContacts(Guid clinicId, IReadOnlySet<Guid> patients)
    {
        await using var connection = new NpgsqlConnection(notification.DatabaseConnectionString);
        await connection.ExecuteAsync("""
            insert into contact (clinic_id, patient_id, email, channels, updated_at)
            select @Clinic, p, 'miss-' || p || '@' || @Domain, '{email}', now() from unnest(@Patients) as p
            """, new { Clinic = clinicId, Domain = MailDomain, Patients = patients.ToArray() });
    }

    async Task<Dictionary<Guid, DateTimeOffset>> Decisions(Guid clinicId)
    {
        await using var connection = new NpgsqlConnection(attendance.DatabaseConnectionString);
        return (await connection.QueryAsync<(Guid Patient, DateTimeOffset DecidedAt)>(
                "select patient_id, decided_at from attendance_record where clinic_id = @Clinic and outcome = 'noShow'", new { Clinic = clinicId }))
            .ToDictionary(r => r.Patient, r => r.DecidedAt);
    }

    async Task<Dictionary<Guid, DateTimeOffset>> Tasks(Guid clinicId)
    {
        await using var connection = new NpgsqlConnection(engagement.DatabaseConnectionString);
        return (await connection.QueryAsync<(Guid Patient, DateTimeOffset CreatedAt)>(
                "select patient_id, created_at from follow_up_task where clinic_id = @Clinic and reason = 'sessionMissed'", new { Clinic = clinicId }))
            .GroupBy(r => r.Patient).ToDictionary(g => g.Key, g => g.Min(r => r.CreatedAt));
    }

    /// <summary>The "we missed you" emails the SMTP server accepted for the run's patients, one entry per message.</summary>
    List<(Guid Patient, DateTimeOffset At)> MissedMails(IReadOnlySet<Guid> patients) =>
        smtp.Accepted
            .Where(m => m.Subject.StartsWith(MissedSubject, StringComparison.Ordinal) && m.Recipient.EndsWith("@" + MailDomain, StringComparison.Ordinal))
            .Select(m => (Patient: Guid.Parse(m.Recipient["miss-".Length..m.Recipient.IndexOf('@')]), At: m.AcceptedAt))
            .Where(m => patients.Contains(m.Patient))
            .ToList();

    public async ValueTask DisposeAsync()
    {
        await attendance.DisposeAsync();
        await notification.DisposeAsync();
        await engagement.DisposeAsync();
        await smtp.DisposeAsync();
        await rabbitMq.DeleteVirtualHostAsync(broker);
        foreach (var service in new[] { attendance.DatabaseConnectionString, notification.DatabaseConnectionString, engagement.DatabaseConnectionString })
            await postgres.DropDatabaseAsync(service);
    }
}

/// <summary>
/// A run's counts (misses seeded, no-shows decided, "we missed you" emails accepted and the patients they reached,
/// follow-up tasks), how long the decisions took from first to last, one latency sample per decided miss and effect, and
/// the email path's stages (from the rows' own times), which show where the time goes.
/// </summary>
public sealed record MissLatencyRun(
    int Misses,
    int Decided,
    int Emails,
    int PatientsEmailed,
    int Tasks,
    TimeSpan DecisionSpan,
    IReadOnlyList<TimeSpan> ToEmail,
    IReadOnlyList<TimeSpan> ToTask,
    IReadOnlyList<(string Stage, IReadOnlyList<TimeSpan> Samples)> EmailStages);
