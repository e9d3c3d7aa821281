using System.Net.Http.Json;
using Dapper;
using Npgsql;
using VirtualIop.Contracts;
using VirtualIop.Contracts.Attendance;
using VirtualIop.Contracts.Scheduling;
using VirtualIop.TestSupport;

namespace VirtualIop.Engagement.IntegrationTests;

/// <summary>
/// The outbox relay publishes a batch concurrently and replicas and retries reorder further: Engagement's copies of a
/// session's roster, of a makeup and of a patient's outcome end the same whatever order Scheduling's and Attendance's
/// events arrive in. Each permutation runs on its own session (or makeup), delivered one event at a time in that order.
/// </summary>
[Collection(EngagementCollection.Name)]
public sealed class DeliveryOrderTests(EngagementService engagement, RabbitMqBroker rabbitMq) : EngagementTests(engagement, rabbitMq)
{
    static readonly string[] Roles = ["A", "B", "C"];

    /// <summary>Publishes as the relay does and waits until every Engagement consumer of the event has finished with it.</summary>
    async Task Deliver(IIntegrationEvent message, int consumers = 1)
    {
        var before = service.Consumed.Count(message.EventId);
        await service.Broker.Publish((dynamic)message);
        await service.Consumed.WaitFor(message.EventId, before + consumers);
    }

    async Task DeliverInOrder(IEnumerable<(IIntegrationEvent Event, int Consumers)> events)
    {
        foreach (var (e, consumers) in events) await Deliver(e, consumers);
    }

    sealed record RosterScene(Guid Session, Guid Cohort, Guid[] Patients, IReadOnlyList<IIntegrationEvent> Events);

    /// <summary>
    /// A group session scheduled for A and B (version 1), C added (2), A taken off (3) and, in the variant, the session
    /// cancelled (4).
    /// </summary>
    static RosterScene RosterEvents(Guid clinic, Guid program, Guid clinician, bool cancelled)
    {
        var (session, cohort) = (Guid.NewGuid(), Guid.NewGuid());
        Guid[] patients = [Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid()];
        var startsAt = DateTimeOffset.UtcNow.AddDays(1);
        List<IIntegrationEvent> events =
        [
            new SessionScheduled(Guid.CreateVersion7(), clinic, session, "groupTherapy", startsAt, startsAt.AddMinutes(90), "UTC", [patients[0], patients[1]],
                program, cohort, null, clinician, Version: 1),
            new SessionParticipantAdded(Guid.CreateVersion7(), clinic, session, patients[2], startsAt, startsAt.AddMinutes(90), "UTC", Version: 2),
            new SessionParticipantRemoved(Guid.CreateVersion7(), clinic, session, patients[0], Version: 3)
        ];
        if (cancelled) events.Add(new SessionCancelled(Guid.CreateVersion7(), clinic, session, startsAt, "UTC", "facilitator ill", Version: 4));
        return new RosterScene(session, cohort, patients, events);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Every_order_of_a_sessions_roster_events_ends_with_the_roster_in_order_delivery_gives(bool cancelled)
    {
        var (clinic, program, clinician) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        var orders = Permutations(Enumerable.Range(0, cancelled ? 4 : 3).ToList()).ToList();
        var scenes = orders.Select(_ => RosterEvents(clinic, program, clinician, cancelled)).ToList();

        await Task.WhenAll(scenes.Zip(orders, (scene, order) => DeliverInOrder(order.Select(i => (scene.Events[i], 1)))));

        var cohorts = await Task.WhenAll(scenes.Select(s => CohortMembers(clinic, s)));
        var rows = await Task.WhenAll(scenes.Select(s => RosterRows(clinic, s)));
        var inOrder = orders.FindIndex(o => o.SequenceEqual(o.Order()));
        Assert.Equal(cancelled ? [] : ["B", "C"], cohorts[inOrder]);
        Assert.All(Enumerable.Range(0, orders.Count), i => Assert.True(cohorts[i].SequenceEqual(cohorts[inOrder]),
            $"order {string.Join(",", orders[i])}: cohort [{string.Join(",", cohorts[i])}], in order [{string.Join(",", cohorts[inOrder])}]"));
        Assert.All(Enumerable.Range(0, orders.Count), i => Assert.Equal(rows[inOrder], rows[i]));
    }

    /// <summary>Who the cohort overview lists, as roles A, B, C.</summary>
    async Task<string[]> CohortMembers(Guid clinic, RosterScene s)
    {
        var overview = (await service.ClientFor(clinic).GetFromJsonAsync<OverviewView>($"/api/engagement/cohorts/{s.Cohort}/overview"))!;
        return [.. overview.Patients.Select(p => Roles[Array.IndexOf(s.Patients, p.PatientId)]).Order()];
    }

    /// <summary>The session's row, its members and the patients' roster rows, with ids replaced by roles.</summary>
    async Task<string> RosterRows(Guid clinic, RosterScene s)
    {
        await using var db = new NpgsqlConnection(service.ConnectionString);
        var args = new { Clinic = clinic, s.Session, s.Patients, s.Cohort };
        var session = await db.QuerySingleAsync<string>("""
            select concat_ws(' ', starts_at is not null, cancelled, version, cohort_id = @Cohort) from session_roster where clinic_id = @Clinic and session_id = @Session
            """, args);
        var members = (await db.QueryAsync<(Guid, bool, long)>("""
            select patient_id, present, version from session_member where clinic_id = @Clinic and session_id = @Session
            """, args)).Select(m => $"{Roles[Array.IndexOf(s.Patients, m.Item1)]} {m.Item2} {m.Item3}").Order();
        var roster = (await db.QueryAsync<(Guid, bool)>("""
            select patient_id, cohort_id = @Cohort from patient_roster where clinic_id = @Clinic and patient_id = any(@Patients)
            """, args)).Select(r => $"{Roles[Array.IndexOf(s.Patients, r.Item1)]} {r.Item2}").Order();
        return $"session {session}; members {string.Join(", ", members)}; roster {string.Join(", ", roster)}";
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Every_order_of_a_makeups_events_ends_with_the_makeup_in_order_delivery_gives_even_when_scheduling_clocks_disagree(bool completed)
    {
        var (clinic, patient) = (Guid.NewGuid(), Guid.NewGuid());
        await Deliver(Missed(clinic, patient, 2), consumers: 3);
        var count = completed ? 5 : 4;
        var orders = Permutations(Enumerable.Range(0, count).ToList()).ToList();
        var ids = orders.Select(_ => Guid.NewGuid()).ToList();
        var makeups = ids.Select(id => MakeupEvents(clinic, patient, id, Guid.NewGuid())[..count]).ToList();

        await Task.WhenAll(makeups.Zip(orders, (events, order) => DeliverInOrder(order.Select(i => (events[i].Event, events[i].Consumers)))));

        await using var db = new NpgsqlConnection(service.ConnectionString);
        var rows = (await db.QueryAsync<(Guid Makeup, string State, string? Kind)>(
            "select makeup_id, state, kind from makeup where clinic_id = @Clinic", new { Clinic = clinic })).ToDictionary(r => r.Makeup, r => (r.State, r.Kind));
        Assert.All(ids, id => Assert.Equal(completed ? ("completed", "recording") : ("booked", "recording"), rows[id]));
        var score = (await service.ClientFor(clinic).GetFromJsonAsync<ScoreView>($"/api/engagement/patients/{patient}/score"))!;
        Assert.Equal((orders.Count, completed ? orders.Count : 0), (score.Facts.MakeupsBooked, score.Facts.MakeupsCompleted));
    }

    /// <summary>
    /// One makeup offered (version 1), booked one-on-one (2), offered again when that session was cancelled (3), booked
    /// as a recording (4) and completed (5). Each report was written by a Scheduling replica whose clock ran behind the
    /// one before, so only the versions tell the order.
    /// </summary>
    static (IIntegrationEvent Event, int Consumers)[] MakeupEvents(Guid clinic, Guid patient, Guid makeup, Guid missedSession)
    {
        var at = DateTimeOffset.UtcNow.AddHours(-1);
        DateTimeOffset Behind(int minutes) => at.AddMinutes(-minutes);
        return
        [
            (new MakeupOffered(Guid.CreateVersion7(), clinic, makeup, missedSession, patient, ["oneOnOne", "recording"], at.AddDays(7), Behind(0), Version: 1), 1),
            (new MakeupBooked(Guid.CreateVersion7(), clinic, makeup, missedSession, patient, "oneOnOne", Guid.NewGuid(), at.AddDays(2), "UTC", Behind(1), Version: 2), 1),
            (new MakeupOffered(Guid.CreateVersion7(), clinic, makeup, missedSession, patient, ["oneOnOne", "recording"], at.AddDays(7), Behind(2), Version: 3), 1),
            (new MakeupBooked(Guid.CreateVersion7(), clinic, makeup, missedSession, patient, "recording", null, null, "UTC", Behind(3), Version: 4), 1),
            (new MakeupCompleted(Guid.CreateVersion7(), clinic, makeup, missedSession, patient, "recording", Behind(4), Version: 5), 2)
        ];
    }

    [Fact]
    public async Task A_correction_to_present_delivered_before_its_no_show_is_not_overtaken_by_the_late_no_show()
    {
        var (clinic, patient) = (Guid.NewGuid(), Guid.NewGuid());
        var missed = Missed(clinic, patient, 1, zone: "America/Chicago");
        var corrected = new AttendanceCorrected(Guid.CreateVersion7(), clinic, missed.SessionId, patient, "noShow", "present", null, missed.DetectedAt.AddHours(1));

        await Deliver(corrected, consumers: 3);
        await Deliver(missed, consumers: 3);

        var score = (await service.ClientFor(clinic).GetFromJsonAsync<ScoreView>($"/api/engagement/patients/{patient}/score"))!;
        Assert.Equal((1, 0), (score.Facts.Attended, score.Facts.Missed));
        Assert.Empty(await service.FollowUpsOf(clinic, patient));
        Assert.Empty((await service.ContinuityOf(clinic, patient)).Packages);
        Assert.Equal("none", (await service.RiskOf(clinic, patient))!.Level);
        await using var db = new NpgsqlConnection(service.ConnectionString);
        var copy = await db.QuerySingleAsync<(string Outcome, DateTimeOffset StartsAt, string TimeZone)>(
            "select outcome, starts_at, time_zone from attendance_outcome where clinic_id = @Clinic and patient_id = @Patient", new { Clinic = clinic, Patient = patient });
        Assert.Equal(("attended", missed.SessionStartsAt.ToUnixTimeMilliseconds(), "America/Chicago"),
            (copy.Outcome, copy.StartsAt.ToUnixTimeMilliseconds(), copy.TimeZone));
    }

    [Fact]
    public async Task A_cancelled_sessions_no_show_opens_nothing_and_counts_nothing_whether_the_cancellation_arrives_first_or_last()
    {
        var (clinic, patient) = (Guid.NewGuid(), Guid.NewGuid());
        var first = Missed(clinic, patient, 3);
        var second = Missed(clinic, patient, 1);
        await Deliver(first, consumers: 3);
        await Deliver(second, consumers: 3);
        Assert.Equal("moderate", (await service.RiskOf(clinic, patient))!.Level);

        // Cancelled after its no-show arrived: the miss stops counting and the risk it raised is re-evaluated.
        await Deliver(new SessionCancelled(Guid.CreateVersion7(), clinic, second.SessionId, second.SessionStartsAt, "UTC", "facilitator ill", Version: 2));
        Assert.Equal("none", (await service.RiskOf(clinic, patient))!.Level);

        // Cancelled before its no-show arrived: the no-show opens no outreach and no catch-up.
        var third = Missed(clinic, patient, 0.5);
        await Deliver(new SessionCancelled(Guid.CreateVersion7(), clinic, third.SessionId, third.SessionStartsAt, "UTC", "facilitator ill", Version: 2));
        await Deliver(third, consumers: 3);

        var score = (await service.ClientFor(clinic).GetFromJsonAsync<ScoreView>($"/api/engagement/patients/{patient}/score"))!;
        Assert.Equal(1, score.Facts.Missed);
        Assert.Equal("none", (await service.RiskOf(clinic, patient))!.Level);
        Assert.DoesNotContain(third.SessionId, (await service.FollowUpsOf(clinic, patient)).Select(t => t.SessionId));
        Assert.DoesNotContain(third.SessionId, (await service.ContinuityOf(clinic, patient)).Packages.Select(p => p.SessionId));
    }

    static IEnumerable<List<int>> Permutations(List<int> items) =>
        items.Count <= 1 ? [items] : items.SelectMany(item => Permutations([.. items.Where(i => i != item)]).Select(rest => (List<int>)[item, .. rest]));

    sealed record OverviewView(List<CohortPatient> Patients);

    sealed record CohortPatient(Guid PatientId);

    sealed record ScoreView(FactsView Facts);

    sealed record FactsView(int Attended, int Missed, int Excused, int MakeupsBooked, int MakeupsCompleted);
}
