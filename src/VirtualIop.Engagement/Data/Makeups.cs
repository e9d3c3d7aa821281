using Dapper;
using Npgsql;
using VirtualIop.BuildingBlocks.Http;
using VirtualIop.BuildingBlocks.Messaging;
using VirtualIop.Contracts.Scheduling;
using VirtualIop.Engagement.Domain;

namespace VirtualIop.Engagement.Data;

/// <summary>
/// Engagement's copy of each patient's makeups. Scheduling's events about one makeup may arrive in any order, so each
/// carries the makeup's version and the time Scheduling wrote it, and the copy keeps the report that holds (Domain:
/// MakeupTimeline): the newer version, or the later time when a report lacks a version.
/// An offer or booking from a publisher older than OfferedAt/BookedAt is placed at the time it reached us.
/// </summary>
public sealed class Makeups(Inbox inbox, TimeProvider clock)
{
    public Task<bool> Offered(MakeupOffered m, string inboxKey, CancellationToken ct) =>
        inbox.ProcessOnce(m, inboxKey, (conn, tx) =>
            Record(conn, tx, new Report(m.ClinicId, m.MakeupId, m.PatientId, m.MissedSessionId, null), new(MakeupState.Offered, m.OfferedAt ?? clock.GetUtcNow(), m.Version), ct), ct);

    public Task<bool> Booked(MakeupBooked m, string inboxKey, CancellationToken ct) =>
        inbox.ProcessOnce(m, inboxKey, (conn, tx) =>
            Record(conn, tx, new Report(m.ClinicId, m.MakeupId, m.PatientId, m.MissedSessionId, m.Kind), new(MakeupState.Booked, m.BookedAt ?? clock.GetUtcNow(), m.Version), ct), ct);

    public Task<bool> Completed(MakeupCompleted m, string inboxKey, CancellationToken ct) =>
        inbox.ProcessOnce(m, inboxKey, (conn, tx) =>
            Record(conn, tx, new Report(m.ClinicId, m.MakeupId, m.PatientId, m.MissedSessionId, m.Kind), new(MakeupState.Completed, m.CompletedAt, m.Version), ct), ct);

    public Task<bool> Expired(MakeupExpired m, string inboxKey, CancellationToken ct) =>
        inbox.ProcessOnce(m, inboxKey, (conn, tx) =>
            Record(conn, tx, new Report(m.ClinicId, m.MakeupId, m.PatientId, m.MissedSessionId, null), new(MakeupState.Expired, m.ExpiredAt, m.Version), ct), ct);

    public Task<bool> Withdrawn(MakeupWithdrawn m, string inboxKey, CancellationToken ct) =>
        inbox.ProcessOnce(m, inboxKey, (conn, tx) =>
            Record(conn, tx, new Report(m.ClinicId, m.MakeupId, m.PatientId, m.MissedSessionId, null), new(MakeupState.Withdrawn, m.WithdrawnAt, m.Version), ct), ct);

    static async Task Record(NpgsqlConnection conn, NpgsqlTransaction tx, Report report, MakeupStanding incoming, CancellationToken ct)
    {
        var args = new
        {
            report.ClinicId, report.MakeupId, report.PatientId, report.MissedSessionId, report.Kind,
            State = WireName.Of(incoming.State), StateAt = incoming.At, incoming.Version
        };
        // The insert waits for a concurrent first report of the same makeup to commit; the row lock then orders the rest.
        var first = await conn.ExecuteAsync(new CommandDefinition("""
            insert into makeup (clinic_id, makeup_id, patient_id, missed_session_id, kind, state, state_at, version)
            values (@ClinicId, @MakeupId, @PatientId, @MissedSessionId, @Kind, @State, @StateAt, @Version)
            on conflict (clinic_id, makeup_id) do nothing
            """, args, tx, cancellationToken: ct));
        if (first == 1) return;
        var current = await conn.QuerySingleAsync<StandingRow>(new CommandDefinition("""
            select state, state_at, version from makeup where clinic_id = @ClinicId and makeup_id = @MakeupId for update
            """, args, tx, cancellationToken: ct));
        if (!MakeupTimeline.Replaces(incoming, new MakeupStanding(current.State, current.StateAt, current.Version))) return;
        await conn.ExecuteAsync(new CommandDefinition("""
            update makeup set state = @State, state_at = @StateAt, kind = @Kind, version = @Version where clinic_id = @ClinicId and makeup_id = @MakeupId
            """, args, tx, cancellationToken: ct));
    }

    /// <param name="Kind">The kind booked or completed; null when the report leaves the makeup without a booking.</param>
    sealed record Report(Guid ClinicId, Guid MakeupId, Guid PatientId, Guid MissedSessionId, string? Kind);

    sealed record StandingRow
    {
        public MakeupState State { get; init; }
        public DateTimeOffset StateAt { get; init; }
        public long? Version { get; init; }
    }
}
