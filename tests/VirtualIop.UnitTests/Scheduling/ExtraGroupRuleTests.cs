using VirtualIop.Scheduling.Domain;

namespace VirtualIop.UnitTests.Scheduling;

public sealed class ExtraGroupRuleTests
{
    static readonly DateTimeOffset Now = new(2030, 3, 20, 12, 0, 0, TimeSpan.Zero);
    static readonly TimeSpan TwoWeeks = TimeSpan.FromDays(14);
    static readonly TimeSpan ThreeHours = TimeSpan.FromHours(3);
    static readonly Guid Triggers = Guid.Parse("00000000-0000-0000-0000-0000000000a1");
    static readonly Guid Coping = Guid.Parse("00000000-0000-0000-0000-0000000000a2");

    static Guid Patient(int n) => Guid.Parse($"00000000-0000-0000-0000-{n:D12}");

    static OpenTopicMakeup Missed(Guid topic, int patient, double daysAgo, TimeSpan? length = null) =>
        new(topic, Patient(patient), Now.AddDays(-daysAgo), length ?? ThreeHours);

    [Fact]
    public void Three_patients_who_missed_one_topic_within_two_weeks_call_for_an_extra_group()
    {
        var need = Assert.Single(ExtraGroupRule.Needs([Missed(Triggers, 1, 1), Missed(Triggers, 2, 3), Missed(Triggers, 3, 13)], 3, TwoWeeks, Now));

        Assert.Equal((Triggers, 3, Now.AddDays(-13)), (need.TopicId, need.PatientCount, need.FirstMissedAt));
        Assert.Equal([Patient(1), Patient(2), Patient(3)], need.PatientIds);
        Assert.Equal(Now.AddDays(-1) + ThreeHours, need.LastMissedEnd);
    }

    [Fact]
    public void Two_patients_are_below_the_threshold_of_three()
    {
        Assert.Empty(ExtraGroupRule.Needs([Missed(Triggers, 1, 1), Missed(Triggers, 2, 2)], 3, TwoWeeks, Now));
    }

    [Fact]
    public void A_patient_who_missed_the_topic_twice_counts_once()
    {
        Assert.Empty(ExtraGroupRule.Needs([Missed(Triggers, 1, 1), Missed(Triggers, 1, 8), Missed(Triggers, 2, 2)], 3, TwoWeeks, Now));
    }

    [Fact]
    public void A_miss_older_than_the_window_does_not_count_but_one_on_its_edge_does()
    {
        Assert.Empty(ExtraGroupRule.Needs([Missed(Triggers, 1, 1), Missed(Triggers, 2, 2), Missed(Triggers, 3, 14.01)], 3, TwoWeeks, Now));
        Assert.Single(ExtraGroupRule.Needs([Missed(Triggers, 1, 1), Missed(Triggers, 2, 2), Missed(Triggers, 3, 14)], 3, TwoWeeks, Now));
    }

    [Fact]
    public void A_miss_announced_ahead_by_a_notice_counts()
    {
        Assert.Single(ExtraGroupRule.Needs([Missed(Triggers, 1, 1), Missed(Triggers, 2, 2), Missed(Triggers, 3, -1)], 3, TwoWeeks, Now));
    }

    [Fact]
    public void Misses_of_different_topics_are_not_added_up_and_topics_come_first_miss_first()
    {
        var needs = ExtraGroupRule.Needs(
        [
            Missed(Triggers, 1, 1), Missed(Triggers, 2, 2), Missed(Coping, 3, 3),
            Missed(Coping, 4, 9), Missed(Coping, 5, 4), Missed(Coping, 6, 5)
        ], 3, TwoWeeks, Now);

        Assert.Equal([Coping], needs.Select(n => n.TopicId));
        Assert.Equal(4, needs[0].PatientCount);
    }

    [Fact]
    public void The_group_lasts_as_long_as_the_longest_missed_session()
    {
        var need = Assert.Single(ExtraGroupRule.Needs(
            [Missed(Triggers, 1, 1, TimeSpan.FromMinutes(90)), Missed(Triggers, 2, 2, ThreeHours), Missed(Triggers, 3, 3, TimeSpan.FromMinutes(60))],
            3, TwoWeeks, Now));

        Assert.Equal(ThreeHours, need.Length);
    }
}
