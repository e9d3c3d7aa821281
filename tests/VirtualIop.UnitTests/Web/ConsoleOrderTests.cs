using VirtualIop.Web.StaffConsole;

namespace VirtualIop.UnitTests.Web;

/// <summary>The console's ordering and classification: the work queue by risk then due date, and today's patients by where they are.</summary>
public sealed class ConsoleOrderTests
{
    static readonly DateTimeOffset Noon = new(2031, 3, 3, 12, 0, 0, TimeSpan.Zero);

    static WorkQueueEntry Entry(string risk, DateTimeOffset due, Guid? id = null) =>
        new(risk, new FollowUp(id ?? Guid.NewGuid(), Guid.NewGuid(), null, "missedSessionOutreach", "sessionMissed", "open", null, Noon, due, Noon, null));

    [Fact]
    public void The_work_queue_puts_the_highest_risk_first_then_the_earliest_due_then_the_id()
    {
        var lowSoon = Entry("low", Noon.AddHours(1));
        var highLate = Entry("high", Noon.AddDays(2));
        var highSoon = Entry("high", Noon.AddHours(2));
        var moderate = Entry("moderate", Noon);
        var noneFirstId = Entry("none", Noon, Guid.Parse("00000000-0000-0000-0000-000000000001"));
        var noneSecondId = Entry("none", Noon, Guid.Parse("00000000-0000-0000-0000-000000000002"));

        Assert.Equal([highSoon, highLate, moderate, lowSoon, noneFirstId, noneSecondId],
            WorkQueue.Order([noneSecondId, lowSoon, noneFirstId, highLate, moderate, highSoon]));
    }

    [Fact]
    public void A_risk_is_explained_by_its_signals_highest_level_first_each_once()
    {
        var risk = new PatientRisk(Guid.NewGuid(), "high",
        [
            new("lateArrivals", "low", "Late to 3 of the last 5 sessions.", []),
            new("consecutiveMisses", "high", "Missed 2 sessions in a row.", []),
            new("consecutiveMisses", "high", "Missed 2 sessions in a row.", []),
        ], Noon);

        Assert.Equal(["Missed 2 sessions in a row.", "Late to 3 of the last 5 sessions."], WorkQueue.Explain(risk));
        Assert.Empty(WorkQueue.Explain(null));
    }

    [Theory]
    [InlineData("open", new[] { "inProgress", "done", "cancelled" })]
    [InlineData("inProgress", new[] { "done", "cancelled" })]
    [InlineData("done", new string[0])]
    [InlineData("cancelled", new string[0])]
    public void A_task_is_worked_from_open_and_closed_while_active(string status, string[] next) =>
        Assert.Equal(next, WorkQueue.NextStatuses(status));

    [Theory]
    [InlineData("pending", true, false, -10, PresenceNow.InNow)]
    [InlineData("present", true, false, -10, PresenceNow.InNow)]
    [InlineData("excusedAbsence", false, true, -10, PresenceNow.Notified)]
    [InlineData("unexcusedAbsence", false, true, 60, PresenceNow.Notified)]
    [InlineData("present", false, false, -60, PresenceNow.Attended)]
    [InlineData("late", false, false, -60, PresenceNow.Attended)]
    [InlineData("pending", false, false, -1, PresenceNow.Missing)]
    [InlineData("noShow", false, false, -120, PresenceNow.Missing)]
    [InlineData("pending", false, false, 30, PresenceNow.Expected)]
    public void Todays_patient_is_in_notified_missing_attended_or_expected(string outcome, bool inNow, bool notified, int startsInMinutes, PresenceNow state)
    {
        var patient = new TodayPatient(Guid.NewGuid(), outcome, inNow, notified);
        var session = new TodaySession(Guid.NewGuid(), "groupTherapy", null, Noon.AddMinutes(startsInMinutes), Noon.AddMinutes(startsInMinutes + 90),
            "America/Chicago", false, [patient], []);

        Assert.Equal(state, Today.Classify(session, patient, Noon));
        Assert.Equal(1, Today.Counts(session, Noon)[state]);
    }
}
