using System.Diagnostics;
using Dapper;
using Npgsql;
using NpgsqlTypes;
using VirtualIop.Attendance.Data;

namespace VirtualIop.Attendance.IntegrationTests.Benchmarks;

/// <summary>
/// Measures the no-show sweep on rows all due at once, against a baseline measured in the same run on the same rows:
/// a plain UPDATE that only flips the outcomes (no claim, no session update, no outbox rows). Free of any test
/// framework: it returns the figures and the counts, and the caller decides what to check and where to print.
/// </summary>
public sealed class SweepBenchmark(string connectionString, NoShows noShows)
{
    /// <summary>
    /// Seeds <paramref name="sessions"/> × <paramref name="patientsPerSession"/> pending records with COPY (binary), all due at
    /// <paramref name="dueAt"/>, the sessions spread over <paramref name="programs"/> programs (so the sweep queues them for the policy, as in use).
    /// </summary>
    public async Task Seed(Guid clinicId, int sessions, int patientsPerSession, int programs, DateTimeOffset dueAt)
    {
        var programIds = Enumerable.Range(0, programs).Select(_ => Guid.NewGuid()).ToArray();
        await using var conn = new NpgsqlConnection(connectionString);
        await conn.OpenAsync();
        var sessionIds = Enumerable.Range(0, sessions).Select(_ => Guid.CreateVersion7()).ToArray();
        var startsAt = dueAt.AddMinutes(-105).ToUniversalTime();
        await using (var writer = await conn.BeginBinaryImportAsync(
                         "copy attendance_session (clinic_id, id, starts_at, ends_at, time_zone, no_show_due_at, recorded_at, program_id) from stdin (format binary)"))
        {
            foreach (var (id, i) in sessionIds.Select((id, i) => (id, i)))
            {
                await writer.StartRowAsync();
                await writer.WriteAsync(clinicId, NpgsqlDbType.Uuid);
                await writer.WriteAsync(id, NpgsqlDbType.Uuid);
                await writer.WriteAsync(startsAt, NpgsqlDbType.TimestampTz);
                await writer.WriteAsync(startsAt.AddMinutes(90), NpgsqlDbType.TimestampTz);
                await writer.WriteAsync("America/Chicago", NpgsqlDbType.Text);
                await writer.WriteAsync(dueAt.ToUniversalTime(), NpgsqlDbType.TimestampTz);
                await writer.WriteAsync(startsAt.AddDays(-7), NpgsqlDbType.TimestampTz);
                await writer.WriteAsync(programIds[i % programs], NpgsqlDbType.Uuid);
            }
            await writer.CompleteAsync();
        }
        await using (var writer = await conn.BeginBinaryImportAsync(
                         "copy attendance_record (clinic_id, session_id, patient_id, position) from stdin (format binary)"))
        {
            foreach (var id in sessionIds)
            {
                for (var position = 1; position <= patientsPerSession; position++)
                {
                    await writer.StartRowAsync();
                    await writer.WriteAsync(clinicId, NpgsqlDbType.Uuid);
                    await writer.WriteAsync(id, NpgsqlDbType.Uuid);
                    await writer.WriteAsync(Guid.NewGuid(), NpgsqlDbType.Uuid);
                    await writer.WriteAsync(position, NpgsqlDbType.Integer);
                }
            }
            await writer.CompleteAsync();
        }
        await Vacuum(conn);
    }

    /// <summary>The baseline: one plain UPDATE of the same records to noShow, timed; then they are put back to pending.</summary>
    public async Task<TimeSpan> MeasurePlainUpdate(Guid clinicId, DateTimeOffset now)
    {
        await using var conn = new NpgsqlConnection(connectionString);
        await conn.OpenAsync();
        var watch = Stopwatch.StartNew();
        await conn.ExecuteAsync("update attendance_record set outcome = 'noShow', decided_at = @Now where clinic_id = @Clinic and outcome = 'pending'",
            new { Clinic = clinicId, Now = now }, commandTimeout: 600);
        watch.Stop();
        await conn.ExecuteAsync("update attendance_record set outcome = 'pending', decided_at = null where clinic_id = @Clinic",
            new { Clinic = clinicId }, commandTimeout: 600);
        await Vacuum(conn);
        return watch.Elapsed;
    }

    /// <summary>The sweep as the worker runs it, pass after pass of <paramref name="batchSize"/> sessions until nothing is due.</summary>
    public async Task<SweepRun> MeasureSweep(DateTimeOffset now, int batchSize)
    {
        var watch = Stopwatch.StartNew();
        int sessions = 0, missed = 0, passes = 0;
        while (true)
        {
            var pass = await noShows.SweepDue(now, batchSize, CancellationToken.None);
            passes++;
            sessions += pass.Sessions;
            missed += pass.NoShows;
            if (pass.Sessions < batchSize) break;
        }
        watch.Stop();
        return new SweepRun(watch.Elapsed, passes, sessions, missed);
    }

    /// <summary>What the sweep left: records decided noShow, SessionMissed rows in the outbox, and sessions queued for the policy.</summary>
    public async Task<(int NoShows, int OutboxRows, int QueuedSessions)> Count(Guid clinicId)
    {
        await using var conn = new NpgsqlConnection(connectionString);
        return (
            await conn.ExecuteScalarAsync<int>("select count(*)::int from attendance_record where clinic_id = @Clinic and outcome = 'noShow'", new { Clinic = clinicId }),
            await conn.ExecuteScalarAsync<int>("""
                select count(*)::int from outbox_message
                where message_type = 'VirtualIop.Contracts.Attendance.SessionMissed' and body ->> 'clinicId' = @Clinic
                """, new { Clinic = clinicId.ToString() }),
            await conn.ExecuteScalarAsync<int>("select count(*)::int from policy_session_queue where clinic_id = @Clinic", new { Clinic = clinicId }));
    }

    static Task Vacuum(NpgsqlConnection conn) => conn.ExecuteAsync("vacuum analyze attendance_session, attendance_record", commandTimeout: 600);
}

public sealed record SweepRun(TimeSpan Elapsed, int Passes, int Sessions, int NoShows);
