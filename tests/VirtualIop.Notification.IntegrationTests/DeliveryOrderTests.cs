using VirtualIop.Contracts;
using VirtualIop.Contracts.Attendance;
using VirtualIop.Contracts.Engagement;
using VirtualIop.Contracts.Scheduling;
using VirtualIop.TestSupport;

namespace VirtualIop.Notification.IntegrationTests;

/// <summary>
/// Scheduling's and Engagement's reports reach Notification in any order (the relay publishes a batch concurrently,
/// retries and replicas reorder further): its copies of sessions, makeups and consents, and the messages that follow
/// from them, end the same whatever the order. Every order is delivered one event at a time through the broker to the
/// real consumers and database; the dispatcher is left idle, so what is compared is what is queued, not what raced out.
/// </summary>
[Collection(NotificationCollection.Name)]
public sealed class DeliveryOrderTests(IdleDispatcherService idle) : IClassFixture<IdleDispatcherService>
{
    readonly NotificationService service = idle.Service;
    static readonly DateTimeOffset Now = WholeSeconds(DateTimeOffset.UtcNow);
    static readonly DateTimeOffset FirstStart = Now.AddHours(2);
    static readonly DateTimeOffset MovedStart = Now.AddHours(3);
    const string Zone = "Europe/Madrid";

    static DateTimeOffset WholeSeconds(DateTimeOffset t) => new(t.Ticks - t.Ticks % TimeSpan.TicksPerSecond, TimeSpan.Zero);

    static IEnumerable<T[]> Permutations<T>(T[] items) =>
        items.Length <= 1
            ? [items]
            : items.SelectMany((first, i) => Permutations(items.Where((_, j) => j != i).ToArray()).Select(rest => (T[])[first, .. rest]));

    async Task Deliver(IEnumerable<IIntegrationEvent> events)
    {
        foreach (var e in events)
        {
            await service.Broker.Publish((dynamic)e);
            await service.Consumed.WaitFor(e.EventId, times: 1);
        }
    }

    /// <summary>
    /// Scheduled (v1, patients A and B), C added (v2), rescheduled (v3), A removed (v4) and, when asked, cancelled (v5),
    /// each event named by its version so an order reads as the versions it delivers.
    /// </summary>
    static Dictionary<int, IIntegrationEvent> SessionHistory(Guid clinic, Guid session, Guid a, Guid b, Guid c, bool cancelled)
    {
        var history = new Dictionary<int, IIntegrationEvent>
        {
            [1] = new SessionScheduled(Guid.CreateVersion7(), clinic, session, "groupTherapy", FirstStart, FirstStart.AddHours(1), Zone, [a, b], Version: 1),
            [2] = new SessionParticipantAdded(Guid.CreateVersion7(), clinic, session, c, FirstStart, FirstStart.AddHours(1), Zone, Version: 2),
            [3] = new SessionRescheduled(Guid.CreateVersion7(), clinic, session, FirstStart, MovedStart, MovedStart.AddMinutes(90), Zone, "roomChange",
                Version: 3),
            [4] = new SessionParticipantRemoved(Guid.CreateVersion7(), clinic, session, a, Version: 4)
        };
        if (cancelled) history[5] = new SessionCancelled(Guid.CreateVersion7(), clinic, session, MovedStart, Zone, "clinicClosed", Version: 5);
        return history;
    }

    /// <summary>What Notification holds of a session and what it has queued about it, patients named A, B and C.</summary>
    async Task<string> SessionCopy(Guid clinic, Guid session, Guid a, Guid b, Guid c)
    {
        var names = new Dictionary<Guid, string> { [a] = "A", [b] = "B", [c] = "C" };
        var facts = await service.Query<(string Kind, DateTimeOffset StartsAt, DateTimeOffset? EndsAt, string TimeZone, bool Cancelled)>("""
            select kind, starts_at, ends_at, time_zone, cancelled_at is not null as cancelled from session where clinic_id = @clinic and id = @session
            """, new { clinic, session });
        var roster = await service.Query<Guid>("""
            select patient_id from session_participant where clinic_id = @clinic and session_id = @session and removed_at is null
            """, new { clinic, session });
        var queued = await service.Query<(Guid PatientId, string Kind, TimeSpan? Offset, DateTimeOffset DueAt, string Status)>("""
            select patient_id, kind, reminder_offset, due_at, status from delivery
            where clinic_id = @clinic and session_id = @session and status not in ('cancelled', 'skipped')
            """, new { clinic, session });
        var copy = Assert.Single(facts);
        return string.Join("\n", [
            $"{copy.Kind} {copy.StartsAt:O}-{copy.EndsAt:O} {copy.TimeZone} cancelled={copy.Cancelled}",
            "present: " + string.Join(",", roster.Select(p => names[p]).Order()),
            .. queued
                .Select(d => d.Kind is "reminder" or "joinAlert" ? $"{names[d.PatientId]} {d.Kind} {d.Offset} due {d.DueAt:O} {d.Status}" : $"{names[d.PatientId]} {d.Kind} {d.Status}")
                .Order()
        ]);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_session_copy_and_its_reminders_end_the_same_whatever_order_its_reports_arrive_in(bool cancelled)
    {
        var clinic = Guid.NewGuid();
        var (a, b, c) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        var versions = cancelled ? new[] { 1, 2, 3, 4, 5 } : [1, 2, 3, 4];

        var outcomes = new System.Collections.Concurrent.ConcurrentDictionary<string, string>();
        await Parallel.ForEachAsync(Permutations(versions), new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (order, _) =>
        {
            var session = Guid.NewGuid();
            var history = SessionHistory(clinic, session, a, b, c, cancelled);
            await Deliver(order.Select(v => history[v]));
            outcomes[string.Join("", order)] = await SessionCopy(clinic, session, a, b, c);
        });

        string[] queued = cancelled
            ? ["B sessionCancelled pending", "C sessionCancelled pending"]
            : [.. from p in new[] { "B", "C" }
                  from offset in new[] { NotificationService.FirstOffset, NotificationService.SecondOffset }
                  select $"{p} reminder {offset} due {MovedStart - offset:O} pending"];
        var inOrder = outcomes[string.Join("", versions)];
        Assert.Equal(string.Join("\n", [$"groupTherapy {MovedStart:O}-{MovedStart.AddMinutes(90):O} {Zone} cancelled={cancelled}", "present: B,C", .. queued.Order()]),
            inOrder);
        var diverged = outcomes.Where(o => o.Value != inOrder).Select(o => $"order {o.Key}:\n{o.Value}").ToList();
        Assert.True(diverged.Count == 0, $"{diverged.Count} of {outcomes.Count} orders diverged from in-order delivery:\n{string.Join("\n", diverged.Take(5))}");
    }

    [Fact]
    public async Task A_session_cancelled_before_its_scheduling_arrives_gets_no_reminder_and_no_missed_session_outreach()
    {
        var clinic = Guid.NewGuid();
        var patient = Guid.NewGuid();
        var session = Guid.NewGuid();
        var scheduled = new SessionScheduled(Guid.CreateVersion7(), clinic, session, "groupTherapy", FirstStart, FirstStart.AddHours(1), Zone, [patient],
            Version: 1);
        var cancelled = new SessionCancelled(Guid.CreateVersion7(), clinic, session, FirstStart, Zone, "clinicClosed", Version: 2);
        var missed = new SessionMissed(Guid.CreateVersion7(), clinic, session, patient, FirstStart, Zone, FirstStart.AddMinutes(15));

        await Deliver([cancelled, scheduled, missed]);

        var deliveries = await service.Deliveries(clinic, session);
        Assert.DoesNotContain(deliveries, d => d.Kind is "reminder" or "joinAlert" && d.Status != "cancelled");
        Assert.DoesNotContain(deliveries, d => d.Kind is "missedSession" or "supportUpdate");
        Assert.Equal(1, await service.CountWhere("session", "clinic_id = @clinic and id = @session and cancelled_at is not null", new { clinic, session }));
    }

    [Fact]
    public async Task A_cancellation_arriving_after_a_queued_we_missed_you_withdraws_it_before_it_goes_out()
    {
        var clinic = Guid.NewGuid();
        var patient = Guid.NewGuid();
        await service.RegisterContact(clinic, patient);
        var session = Guid.NewGuid();
        var missed = new SessionMissed(Guid.CreateVersion7(), clinic, session, patient, Now.AddHours(-1), Zone, Now);
        var cancelled = new SessionCancelled(Guid.CreateVersion7(), clinic, session, Now.AddHours(-1), Zone, "clinicClosed", Version: 2);

        await Deliver([missed, cancelled]);

        var outreach = Assert.Single(await service.Deliveries(clinic, session), d => d.Kind == "missedSession");
        Assert.Equal("cancelled", outreach.Status);
    }

    [Fact]
    public async Task A_waitlist_seat_in_a_cancelled_session_is_not_confirmed_whichever_report_comes_first()
    {
        var clinic = Guid.NewGuid();
        var (a, promoted) = (Guid.NewGuid(), Guid.NewGuid());
        var outcomes = new List<string>();
        foreach (var cancelFirst in new[] { false, true })
        {
            var session = Guid.NewGuid();
            IIntegrationEvent[] seat =
            [
                new WaitlistPromoted(Guid.CreateVersion7(), clinic, session, promoted, null, FirstStart, Zone, Now, Version: 2),
                new SessionParticipantAdded(Guid.CreateVersion7(), clinic, session, promoted, FirstStart, FirstStart.AddHours(1), Zone, Version: 2)
            ];
            var scheduled = new SessionScheduled(Guid.CreateVersion7(), clinic, session, "groupTherapy", FirstStart, FirstStart.AddHours(1), Zone, [a],
                Version: 1);
            var cancelled = new SessionCancelled(Guid.CreateVersion7(), clinic, session, FirstStart, Zone, "clinicClosed", Version: 3);
            await Deliver(cancelFirst ? [cancelled, .. seat, scheduled] : [scheduled, .. seat, cancelled]);
            outcomes.Add(await SessionCopy(clinic, session, a, promoted, Guid.NewGuid()));
        }

        Assert.Equal(outcomes[0], outcomes[1]);
        Assert.DoesNotContain("waitlistPromoted", outcomes[0]);
        Assert.DoesNotContain("reminder", outcomes[0]);
    }

    [Fact]
    public async Task A_consent_revoked_before_its_grant_arrives_stays_revoked()
    {
        var clinic = Guid.NewGuid();
        var patient = Guid.NewGuid();
        var consent = Guid.NewGuid();
        var granted = new ConsentGranted(Guid.CreateVersion7(), clinic, consent, patient, "attendanceOnly", "family", Now.AddDays(90), Now.AddDays(-1));
        var revoked = new ConsentRevoked(Guid.CreateVersion7(), clinic, consent, patient, Now);

        await Deliver([revoked, granted]);

        Assert.Equal(1, await service.CountWhere("consent",
            "clinic_id = @clinic and consent_id = @consent and revoked_at is not null and granted_at is not null", new { clinic, consent }));
    }

    [Fact]
    public async Task A_makeups_copy_ends_the_same_whatever_order_its_reports_arrive_in()
    {
        var clinic = Guid.NewGuid();
        var patient = Guid.NewGuid();
        var missedSession = Guid.NewGuid();
        var outcomes = new System.Collections.Concurrent.ConcurrentDictionary<string, string>();
        int[] versions = [1, 2, 3, 4];

        await Parallel.ForEachAsync(Permutations(versions), new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (order, _) =>
        {
            var makeup = Guid.NewGuid();
            var bookedSession = Guid.NewGuid();
            var history = new Dictionary<int, IIntegrationEvent>
            {
                [1] = new MakeupOffered(Guid.CreateVersion7(), clinic, makeup, missedSession, patient, ["oneOnOne", "recording"], Now.AddDays(7), Now,
                    Version: 1),
                [2] = new MakeupBooked(Guid.CreateVersion7(), clinic, makeup, missedSession, patient, "oneOnOne", bookedSession, Now.AddDays(2), Zone,
                    Now.AddMinutes(1), Version: 2),
                [3] = new MakeupOffered(Guid.CreateVersion7(), clinic, makeup, missedSession, patient, ["extraGroupSlot"], Now.AddDays(8), Now.AddMinutes(2),
                    Version: 3),
                [4] = new MakeupExpired(Guid.CreateVersion7(), clinic, makeup, missedSession, patient, Now.AddMinutes(3), Version: 4)
            };
            await Deliver(order.Select(v => history[v]));
            var offer = Assert.Single(await service.Query<(string[]? Kinds, DateTimeOffset? ExpiresAt, DateTimeOffset? WithdrawnAt, DateTimeOffset? ExpiredAt)>("""
                select offered_kinds, expires_at, withdrawn_at, expired_at from makeup_offer where clinic_id = @clinic and makeup_id = @makeup
                """, new { clinic, makeup }));
            var bookings = await service.Query<Guid>("select session_id from makeup_booking where clinic_id = @clinic and makeup_id = @makeup",
                new { clinic, makeup });
            outcomes[string.Join("", order)] =
                $"{string.Join(",", offer.Kinds ?? [])} until {offer.ExpiresAt:O}, withdrawn {offer.WithdrawnAt:O}, expired {offer.ExpiredAt:O}, {bookings.Count} booking(s)";
        });

        var inOrder = outcomes["1234"];
        Assert.Equal($"extraGroupSlot until {Now.AddDays(8):O}, withdrawn , expired {Now.AddMinutes(3):O}, 0 booking(s)", inOrder);
        var diverged = outcomes.Where(o => o.Value != inOrder).Select(o => $"order {o.Key}: {o.Value}").ToList();
        Assert.True(diverged.Count == 0, $"{diverged.Count} of {outcomes.Count} orders diverged from in-order delivery:\n{string.Join("\n", diverged)}");
    }
}
