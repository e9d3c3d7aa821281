using VirtualIop.Engagement.Domain;

namespace VirtualIop.UnitTests.Engagement;

public class MakeupTimelineTests
{
    static readonly DateTimeOffset Noon = new(2026, 11, 20, 12, 0, 0, TimeSpan.Zero);

    static MakeupStanding At(MakeupState state, double minutes) => new(state, Noon.AddMinutes(minutes));

    [Fact]
    public void The_first_report_of_a_makeup_is_taken_whatever_it_says()
    {
        Assert.All(Enum.GetValues<MakeupState>(), state => Assert.True(MakeupTimeline.Replaces(At(state, 0), null)));
    }

    [Fact]
    public void A_re_offer_after_the_booked_session_was_cancelled_undoes_the_booking()
    {
        Assert.True(MakeupTimeline.Replaces(At(MakeupState.Offered, 10), At(MakeupState.Booked, 0)));
    }

    [Fact]
    public void A_booking_older_than_the_re_offer_that_undid_it_does_not_win_when_it_arrives_late()
    {
        Assert.False(MakeupTimeline.Replaces(At(MakeupState.Booked, 0), At(MakeupState.Offered, 10)));
    }

    [Fact]
    public void Booking_again_after_a_re_offer_counts_again()
    {
        Assert.True(MakeupTimeline.Replaces(At(MakeupState.Booked, 20), At(MakeupState.Offered, 10)));
    }

    [Theory]
    [InlineData(MakeupState.Expired)]
    [InlineData(MakeupState.Withdrawn)]
    public void An_expiry_or_a_withdrawal_ends_a_makeup_reported_before_it_and_an_older_report_does_not_revive_it(MakeupState ended)
    {
        Assert.True(MakeupTimeline.Replaces(At(ended, 10), At(MakeupState.Booked, 0)));
        Assert.True(MakeupTimeline.Replaces(At(ended, 10), At(MakeupState.Offered, 0)));
        Assert.False(MakeupTimeline.Replaces(At(MakeupState.Booked, 0), At(ended, 10)));
        Assert.False(MakeupTimeline.Replaces(At(MakeupState.Offered, 0), At(ended, 10)));
    }

    [Fact]
    public void A_withdrawn_makeup_offered_again_for_a_new_absence_is_open_again()
    {
        Assert.True(MakeupTimeline.Replaces(At(MakeupState.Offered, 30), At(MakeupState.Withdrawn, 10)));
    }

    [Theory]
    [InlineData(MakeupState.Offered)]
    [InlineData(MakeupState.Booked)]
    [InlineData(MakeupState.Expired)]
    [InlineData(MakeupState.Withdrawn)]
    public void Completion_always_wins_whether_it_is_older_or_newer(MakeupState other)
    {
        Assert.True(MakeupTimeline.Replaces(At(MakeupState.Completed, -60), At(other, 0)));
        Assert.False(MakeupTimeline.Replaces(At(other, 60), At(MakeupState.Completed, 0)));
    }

    [Fact]
    public void At_the_same_millisecond_the_report_giving_less_credit_holds_in_either_order()
    {
        var sameMillisecond = Noon.AddTicks(5_000);    // 0.5 ms later, the same millisecond
        var booked = new MakeupStanding(MakeupState.Booked, sameMillisecond);
        var offered = new MakeupStanding(MakeupState.Offered, Noon);
        var expired = new MakeupStanding(MakeupState.Expired, Noon);

        Assert.True(MakeupTimeline.Replaces(offered, booked));
        Assert.False(MakeupTimeline.Replaces(booked, offered));
        Assert.True(MakeupTimeline.Replaces(expired, offered));
        Assert.False(MakeupTimeline.Replaces(offered, expired));
    }

    [Fact]
    public void The_same_report_again_changes_nothing()
    {
        Assert.False(MakeupTimeline.Replaces(At(MakeupState.Booked, 0), At(MakeupState.Booked, 0)));
    }

    [Fact]
    public void With_versions_the_newer_version_holds_even_when_its_clock_reads_earlier()
    {
        var reOffered = new MakeupStanding(MakeupState.Offered, Noon, Version: 3);
        var booked = new MakeupStanding(MakeupState.Booked, Noon.AddMinutes(5), Version: 2);

        Assert.True(MakeupTimeline.Replaces(reOffered, booked));
        Assert.False(MakeupTimeline.Replaces(booked, reOffered));
    }

    [Fact]
    public void Without_a_version_on_either_report_the_times_decide()
    {
        Assert.True(MakeupTimeline.Replaces(new MakeupStanding(MakeupState.Booked, Noon.AddMinutes(5)), new MakeupStanding(MakeupState.Offered, Noon, Version: 3)));
        Assert.False(MakeupTimeline.Replaces(new MakeupStanding(MakeupState.Offered, Noon, Version: 3), new MakeupStanding(MakeupState.Booked, Noon.AddMinutes(5))));
    }

    [Fact]
    public void Every_order_of_a_makeups_versioned_reports_settles_on_completion_and_without_it_on_the_newest()
    {
        MakeupStanding[] reports =
        [
            new(MakeupState.Offered, Noon, 1), new(MakeupState.Booked, Noon, 2), new(MakeupState.Offered, Noon, 3), new(MakeupState.Booked, Noon, 4),
            new(MakeupState.Completed, Noon, 5)
        ];

        Assert.All(Permutations(reports), order => Assert.Equal(reports[4], Settle(order)));
        Assert.All(Permutations(reports[..4]), order => Assert.Equal(reports[3], Settle(order)));
    }

    static MakeupStanding Settle(IEnumerable<MakeupStanding> order) =>
        order.Aggregate((MakeupStanding?)null, (kept, incoming) => MakeupTimeline.Replaces(incoming, kept) ? incoming : kept)!;

    static IEnumerable<IReadOnlyList<T>> Permutations<T>(IReadOnlyList<T> items) =>
        items.Count <= 1
            ? [items]
            : items.SelectMany((item, i) => Permutations([.. items.Where((_, j) => j != i)]).Select(rest => (IReadOnlyList<T>)[item, .. rest]));
}
