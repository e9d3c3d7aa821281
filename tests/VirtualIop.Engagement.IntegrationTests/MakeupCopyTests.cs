using System.Net.Http.Json;
using VirtualIop.Contracts;
using VirtualIop.Contracts.Attendance;
using VirtualIop.Contracts.Scheduling;
using VirtualIop.TestSupport;

namespace VirtualIop.Engagement.IntegrationTests;

/// <summary>
/// Engagement's copy of a makeup follows Scheduling's reports about it (offered again after a cancellation, expired,
/// withdrawn, booked, completed) in whatever order the outbox relay delivers them, and the score counts what holds.
/// </summary>
[Collection(EngagementCollection.Name)]
public sealed class MakeupCopyTests(EngagementService engagement, RabbitMqBroker rabbitMq) : EngagementTests(engagement, rabbitMq)
{
    /// <summary>When Scheduling wrote the first report of each scene; later reports are minutes after it.</summary>
    static readonly DateTimeOffset Start = DateTimeOffset.UtcNow.AddHours(-2);

    sealed record Scene(Guid Clinic, Guid Cohort, Guid Patient, Guid MissedSession, Guid Makeup);

    /// <summary>A patient of a cohort who attended one session and missed another, which now needs catching up.</summary>
    async Task<Scene> PatientWhoMissedOnce()
    {
        var (clinic, cohort, patient, missedSession) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        var scheduled = Scheduled(clinic, Guid.NewGuid(), cohort, Guid.NewGuid(), -1, patient);
        await service.Broker.Publish(scheduled);
        await service.Consumed.WaitFor(scheduled.EventId, times: 1);
        await service.Broker.Publish(Missed(clinic, patient, 5, missedSession));
        await service.Broker.Publish(new SessionAttended(Guid.CreateVersion7(), clinic, Guid.NewGuid(), patient, DateTimeOffset.UtcNow.AddDays(-1)));
        await WaitForScore(clinic, patient, s => s.Facts is { Attended: 1, Missed: 1 }, "one session attended and one missed");
        await service.WaitForContinuity(clinic, patient, c => c.CatchUpRequired, "catch-up required after the miss");
        return new Scene(clinic, cohort, patient, missedSession, Guid.NewGuid());
    }

    static MakeupBooked Booked(Scene s, double minutes)
    {
        var at = Start.AddMinutes(minutes);
        return new MakeupBooked(Guid.CreateVersion7(at), s.Clinic, s.Makeup, s.MissedSession, s.Patient, "oneOnOne", Guid.NewGuid(), at.AddDays(2), "UTC", BookedAt: at);
    }

    /// <summary>The session the makeup was booked into was cancelled: the same makeup is open again for another choice.</summary>
    static MakeupOffered OfferedAgain(Scene s, double minutes)
    {
        var at = Start.AddMinutes(minutes);
        return new MakeupOffered(Guid.CreateVersion7(at), s.Clinic, s.Makeup, s.MissedSession, s.Patient, ["oneOnOne", "recording"], at.AddDays(7), OfferedAt: at);
    }

    static MakeupCompleted Completed(Scene s, double minutes)
    {
        var at = Start.AddMinutes(minutes);
        return new MakeupCompleted(Guid.CreateVersion7(at), s.Clinic, s.Makeup, s.MissedSession, s.Patient, "oneOnOne", at);
    }

    /// <summary>Publishes as the relay does and waits until every Engagement consumer of the event has finished with it.</summary>
    async Task Deliver<T>(T message, int consumers = 1) where T : class, IIntegrationEvent
    {
        var before = service.Consumed.Count(message.EventId);
        await service.Broker.Publish(message);
        await service.Consumed.WaitFor(message.EventId, before + consumers);
    }

    async Task<ScoreView> WaitForScore(Guid clinic, Guid patient, Func<ScoreView, bool> done, string what) =>
        (await Eventually.Until(async () =>
        {
            var response = await service.ClientFor(clinic).GetAsync($"/api/engagement/patients/{patient}/score");
            return response.IsSuccessStatusCode ? (await response.Content.ReadFromJsonAsync<ScoreView>())! : null;
        }, s => s is not null && done(s), what))!;

    async Task<ScoreView> ScoreOf(Scene s) => (await service.ClientFor(s.Clinic).GetFromJsonAsync<ScoreView>($"/api/engagement/patients/{s.Patient}/score"))!;

    async Task<bool> CatchUpRequiredInCohort(Scene s) =>
        (await service.ClientFor(s.Clinic).GetFromJsonAsync<OverviewView>($"/api/engagement/cohorts/{s.Cohort}/overview"))!
        .Patients.Single(p => p.PatientId == s.Patient).CatchUpRequired;

    static decimal? Makeups(ScoreView score) => score.Parts.Single(p => p.Name == "makeups").Value;

    [Fact]
    public async Task A_makeup_offered_again_after_its_session_was_cancelled_stops_counting_until_it_is_booked_again_and_completed()
    {
        var s = await PatientWhoMissedOnce();

        // attendance 1/2 = 0.5, makeups 0.5 (booked), no homework: (0.6 * 0.5 + 0.2 * 0.5) / 0.8 = 0.5
        var booked = Booked(s, 0);
        await Deliver(booked);
        await Deliver(booked);
        var score = await ScoreOf(s);
        Assert.Equal((1, 0, 0.5m, 50), (score.Facts.MakeupsBooked, score.Facts.MakeupsCompleted, Makeups(score), score.Score));
        Assert.True(await CatchUpRequiredInCohort(s));      // a booking does not address the missed content; only completion does

        // The session it was booked into was cancelled: offered again, it counts nothing; (0.6 * 0.5 + 0) / 0.8 = 0.375
        var offeredAgain = OfferedAgain(s, 10);
        await Deliver(offeredAgain);
        await Deliver(offeredAgain);
        score = await ScoreOf(s);
        Assert.Equal((0, 0, 0m, 38), (score.Facts.MakeupsBooked, score.Facts.MakeupsCompleted, Makeups(score), score.Score));
        Assert.True(await CatchUpRequiredInCohort(s));

        var bookedAgain = Booked(s, 20);
        await Deliver(bookedAgain);
        await Deliver(bookedAgain);
        score = await ScoreOf(s);
        Assert.Equal((1, 0, 0.5m, 50), (score.Facts.MakeupsBooked, score.Facts.MakeupsCompleted, Makeups(score), score.Score));

        // Completed: counts fully, (0.6 * 0.5 + 0.2) / 0.8 = 0.625, and the missed content is addressed.
        var completed = Completed(s, 30);
        await Deliver(completed, consumers: 2);
        await Deliver(completed, consumers: 2);
        score = await ScoreOf(s);
        Assert.Equal((1, 1, 1m, 63), (score.Facts.MakeupsBooked, score.Facts.MakeupsCompleted, Makeups(score), score.Score));
        Assert.False(await CatchUpRequiredInCohort(s));
        Assert.Equal("madeUp", (await service.ContinuityOf(s.Clinic, s.Patient)).Packages.Single().AddressedHow);
    }

    [Fact]
    public async Task A_re_offer_delivered_before_the_booking_it_undid_still_holds()
    {
        var s = await PatientWhoMissedOnce();

        await Deliver(OfferedAgain(s, 10));
        await Deliver(Booked(s, 0));

        var score = await ScoreOf(s);
        Assert.Equal((0, 0m), (score.Facts.MakeupsBooked, Makeups(score)));

        await Deliver(Booked(s, 20));
        Assert.Equal(1, (await ScoreOf(s)).Facts.MakeupsBooked);
    }

    [Fact]
    public async Task Completion_holds_over_any_report_whether_delivered_before_or_after_it()
    {
        var s = await PatientWhoMissedOnce();

        await Deliver(Completed(s, 30), consumers: 2);
        await Deliver(Booked(s, 0));
        await Deliver(OfferedAgain(s, 40));
        await Deliver(new MakeupExpired(Guid.CreateVersion7(), s.Clinic, s.Makeup, s.MissedSession, s.Patient, Start.AddMinutes(50)));

        var score = await ScoreOf(s);
        Assert.Equal((1, 1, 1m), (score.Facts.MakeupsBooked, score.Facts.MakeupsCompleted, Makeups(score)));
    }

    [Fact]
    public async Task A_makeup_that_expired_after_its_session_was_cancelled_counts_nothing_and_an_older_booking_does_not_revive_it()
    {
        var s = await PatientWhoMissedOnce();
        await Deliver(Booked(s, 0));
        await WaitForScore(s.Clinic, s.Patient, v => v.Facts.MakeupsBooked == 1, "the makeup booked");

        var expired = new MakeupExpired(Guid.CreateVersion7(), s.Clinic, s.Makeup, s.MissedSession, s.Patient, Start.AddMinutes(10));
        await Deliver(expired);
        await Deliver(expired);
        await Deliver(Booked(s, 5));

        var score = await ScoreOf(s);
        Assert.Equal((0, 0m), (score.Facts.MakeupsBooked, Makeups(score)));
        Assert.True(await CatchUpRequiredInCohort(s));
    }

    [Fact]
    public async Task A_withdrawn_makeup_counts_nothing_and_one_offered_again_for_a_later_absence_can_count_again()
    {
        var s = await PatientWhoMissedOnce();
        await Deliver(OfferedAgain(s, 0));
        var withdrawn = new MakeupWithdrawn(Guid.CreateVersion7(), s.Clinic, s.Makeup, s.MissedSession, s.Patient, Start.AddMinutes(10));
        await Deliver(withdrawn);
        await Deliver(Booked(s, 5));        // older than the withdrawal: it does not hold
        Assert.Equal(0, (await ScoreOf(s)).Facts.MakeupsBooked);

        await Deliver(OfferedAgain(s, 20));
        await Deliver(withdrawn);
        await Deliver(Booked(s, 30));
        Assert.Equal(1, (await ScoreOf(s)).Facts.MakeupsBooked);
    }

    sealed record ScoreView(Guid PatientId, int? Score, List<PartView> Parts, FactsView Facts);

    sealed record PartView(string Name, decimal? Value, decimal Weight, string Explanation);

    sealed record FactsView(int Attended, int Missed, int Excused, int MakeupsBooked, int MakeupsCompleted, int HomeworkSet, int HomeworkDone);

    sealed record OverviewView(List<CohortPatient> Patients);

    sealed record CohortPatient(Guid PatientId, bool CatchUpRequired);
}
