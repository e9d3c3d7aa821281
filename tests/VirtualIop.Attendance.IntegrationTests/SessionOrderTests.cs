using Dapper;
using Npgsql;
using VirtualIop.Attendance.Data;
using VirtualIop.Attendance.Domain;
using VirtualIop.Attendance.Messaging;
using VirtualIop.Contracts.Scheduling;

namespace VirtualIop.Attendance.IntegrationTests;

/// <summary>
/// Scheduling's events about a session reach Attendance in any order (a relay publishes a batch concurrently, retries
/// and replicas reorder further). Every order of the same events must leave the same copy of the session as in-order
/// delivery: the same times, the same cancellation, the same roster with the same outcomes, the same sweep time.
/// The events go through what the consumers call (<see cref="SessionChanges"/>, with each consumer's inbox key) on the
/// service's real database; each order gets its own session.
/// </summary>
[Collection(AttendanceCollection.Name)]
public sealed class SessionOrderTests(AttendanceService attendance) : IClassFixture<AttendanceService>
{
    static readonly Guid A = Guid.NewGuid(), B = Guid.NewGuid(), C = Guid.NewGuid();

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Every_delivery_order_of_a_sessions_events_ends_as_in_order_delivery(bool endsCancelled)
    {
        var clinicId = Guid.NewGuid();
        var names = new[] { "scheduled v1 (A, B)", "C added v2", "rescheduled v3", "A removed v4", "cancelled v5" }.Take(endsCancelled ? 5 : 4).ToArray();
        var orders = Permutations(Enumerable.Range(0, names.Length).ToArray()).ToList();
        Assert.Equal(endsCancelled ? 120 : 24, orders.Count);

        var inOrder = await Deliver(clinicId, Enumerable.Range(0, names.Length).ToArray(), endsCancelled);
        var expectedStart = Start.AddDays(1);
        Assert.Equal(new SessionState(
                $"{expectedStart:O} {expectedStart.AddMinutes(90):O} America/New_York due {expectedStart.AddMinutes(90) + AttendanceService.NoShowGrace:O} " +
                $"cancelled {endsCancelled} version {(endsCancelled ? 5 : 3)}",
                "B pending, C present", "A v4 removed, B v1, C v2", Placeholders: 0, Held: 0),
            inOrder);

        var states = new (int[] Order, SessionState State)[orders.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, orders.Count), new ParallelOptions { MaxDegreeOfParallelism = 8 },
            async (i, _) => states[i] = (orders[i], await Deliver(clinicId, orders[i], endsCancelled)));

        var diverged = states.Where(s => s.State != inOrder)
            .Select(s => $"{string.Join(" → ", s.Order.Select(i => names[i]))}: {s.State}").ToList();
        Assert.True(diverged.Count == 0, $"{diverged.Count} of {orders.Count} orders diverged from in-order delivery:\n{string.Join("\n", diverged)}");
    }

    [Fact]
    public async Task A_session_cancelled_before_its_SessionScheduled_arrives_gives_the_sweep_nothing_to_decide()
    {
        var clinicId = Guid.NewGuid();
        var session = AttendanceService.NewSession(clinicId, patients: 2) with { Version = 1 };
        await attendance.Deliver(new SessionCancelled(Guid.CreateVersion7(), clinicId, session.SessionId, session.StartsAt, session.TimeZone, "holiday", 2));
        await attendance.Deliver(session);

        await attendance.Sweep.RunOnce(session.EndsAt + AttendanceService.NoShowGrace + TimeSpan.FromHours(1), CancellationToken.None);

        Assert.Equal(0, await attendance.SessionMissedRowsInOutbox(session.SessionId));
        Assert.All(await attendance.ClientFor(clinicId).Outcomes(session.SessionId), r => Assert.Equal("pending", r.Outcome));
        await using var db = new NpgsqlConnection(attendance.ConnectionString);
        Assert.True(await db.ExecuteScalarAsync<bool>("select cancelled_at is not null and swept_at is null from attendance_session where id = @Id",
            new { Id = session.SessionId }));
    }

    static readonly DateTimeOffset Start = new DateTimeOffset(DateTime.UtcNow.Date, TimeSpan.Zero).AddDays(3).AddHours(15);

    /// <summary>
    /// A check-in for C comes first (the session is unknown, so it is held), then the events in <paramref name="order"/>:
    /// 0 scheduled v1 with A and B, 1 C added v2, 2 rescheduled v3 to a day later, 3 A removed v4, 4 cancelled v5.
    /// </summary>
    async Task<SessionState> Deliver(Guid clinicId, int[] order, bool endsCancelled)
    {
        var changes = attendance.SessionChanges;
        var sessionId = Guid.CreateVersion7();
        var (end, moved) = (Start.AddMinutes(90), Start.AddDays(1));
        var events = new Func<Task<bool>>[]
        {
            () => changes.RecordScheduled(new SessionScheduled(Guid.CreateVersion7(), clinicId, sessionId, "groupTherapy", Start, end, "America/Chicago",
                [A, B], Version: 1), RecordScheduledSession.InboxKey, CancellationToken.None),
            () => changes.AddParticipant(new SessionParticipantAdded(Guid.CreateVersion7(), clinicId, sessionId, C, Start, end, "America/Chicago", 2),
                AddJoiningParticipant.InboxKey, CancellationToken.None),
            () => changes.Reschedule(new SessionRescheduled(Guid.CreateVersion7(), clinicId, sessionId, Start, moved, moved.AddMinutes(90),
                "America/New_York", "clinicianUnavailable", 3), FollowRescheduledSession.InboxKey, CancellationToken.None),
            () => changes.RemoveParticipant(new SessionParticipantRemoved(Guid.CreateVersion7(), clinicId, sessionId, A, 4),
                RemoveLeavingParticipant.InboxKey, CancellationToken.None),
            () => changes.Cancel(new SessionCancelled(Guid.CreateVersion7(), clinicId, sessionId, moved, "America/New_York", "holiday", 5),
                SkipCancelledSession.InboxKey, CancellationToken.None)
        };
        Assert.Equal(endsCancelled ? 5 : 4, order.Length);

        var held = await attendance.Sessions.RecordPatientPresence(clinicId, sessionId, C, PresenceChange.Join, "test", CancellationToken.None);
        Assert.Equal(PresenceStatus.Held, held.Status);
        foreach (var i in order) Assert.True(await events[i]());
        return await State(clinicId, sessionId);
    }

    async Task<SessionState> State(Guid clinicId, Guid sessionId)
    {
        await using var db = new NpgsqlConnection(attendance.ConnectionString);
        var args = new { Clinic = clinicId, Session = sessionId };
        var facts = await db.QuerySingleOrDefaultAsync<(DateTime StartsAt, DateTime EndsAt, string TimeZone, DateTime NoShowDueAt, bool Cancelled, long Version)>("""
            select starts_at, ends_at, time_zone, no_show_due_at, cancelled_at is not null, version from attendance_session
            where clinic_id = @Clinic and id = @Session
            """, args);
        var records = await db.QueryAsync<(Guid PatientId, string Outcome)>(
            "select patient_id, outcome from attendance_record where clinic_id = @Clinic and session_id = @Session", args);
        var members = await db.QueryAsync<(Guid PatientId, long Version, bool Removed)>(
            "select patient_id, version, removed from session_membership where clinic_id = @Clinic and session_id = @Session", args);
        var placeholders = await db.ExecuteScalarAsync<int>("select count(*)::int from session_placeholder where clinic_id = @Clinic and id = @Session", args);
        var heldMarks = await db.ExecuteScalarAsync<int>("select count(*)::int from pending_presence where clinic_id = @Clinic and session_id = @Session", args);
        return new SessionState(
            facts == default ? "unknown"
                : $"{new DateTimeOffset(facts.StartsAt, TimeSpan.Zero):O} {new DateTimeOffset(facts.EndsAt, TimeSpan.Zero):O} {facts.TimeZone} " +
                  $"due {new DateTimeOffset(facts.NoShowDueAt, TimeSpan.Zero):O} cancelled {facts.Cancelled} version {facts.Version}",
            string.Join(", ", records.Select(r => $"{Name(r.PatientId)} {r.Outcome}").Order()),
            string.Join(", ", members.Select(m => $"{Name(m.PatientId)} v{m.Version}{(m.Removed ? " removed" : "")}").Order()),
            placeholders, heldMarks);
    }

    static string Name(Guid patientId) => patientId == A ? "A" : patientId == B ? "B" : patientId == C ? "C" : patientId.ToString();

    static IEnumerable<int[]> Permutations(int[] items) =>
        items.Length <= 1
            ? [items]
            : items.SelectMany(first => Permutations(items.Where(i => i != first).ToArray()).Select(rest => (int[])[first, .. rest]));

    /// <param name="Facts">Times, time zone, sweep time, cancellation and session-level version.</param>
    /// <param name="Roster">Each patient's record and outcome.</param>
    /// <param name="Members">Each patient's membership: the version that decided it, and whether they were removed.</param>
    sealed record SessionState(string Facts, string Roster, string Members, int Placeholders, int Held);
}
