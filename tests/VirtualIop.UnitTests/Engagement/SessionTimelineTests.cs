using VirtualIop.Engagement.Domain;

namespace VirtualIop.UnitTests.Engagement;

public class SessionTimelineTests
{
    static readonly DateTimeOffset Monday = new(2026, 11, 16, 17, 0, 0, TimeSpan.Zero);

    static SessionReport Scheduled(long? version) => new(Monday, Cancels: false, version);

    static SessionReport Moved(double days, long? version) => new(Monday.AddDays(days), Cancels: false, version);

    static SessionReport Cancelled(long version) => new(Monday, Cancels: true, version);

    static SessionStanding Settle(params SessionReport[] reports) => reports.Aggregate((SessionStanding?)null, SessionTimeline.Apply)!;

    [Fact]
    public void A_report_applies_only_when_its_version_is_newer_and_an_unversioned_one_only_over_unversioned_state()
    {
        Assert.True(Versions.IsNewer(2, 1));
        Assert.False(Versions.IsNewer(1, 1));
        Assert.True(Versions.IsNewer(null, 0));
        Assert.False(Versions.IsNewer(null, 1));
        Assert.True(Versions.IsNewer(1, 0));
    }

    [Fact]
    public void Reports_from_a_publisher_without_versions_apply_in_arrival_order_as_before_versions()
    {
        Assert.Equal(new SessionStanding(Monday.AddDays(1), false, 0), Settle(Scheduled(null), Moved(1, null)));
    }

    [Fact]
    public void A_reschedule_delivered_before_the_session_keeps_its_newer_start_when_the_session_arrives()
    {
        Assert.Equal(new SessionStanding(Monday.AddDays(1), false, 2), Settle(Moved(1, 2), Scheduled(1)));
        Assert.Equal(Settle(Scheduled(1), Moved(1, 2)), Settle(Moved(1, 2), Scheduled(1)));
    }

    [Fact]
    public void An_older_reschedule_arriving_late_does_not_move_the_session_back()
    {
        Assert.Equal(Monday.AddDays(2), Settle(Scheduled(1), Moved(2, 3), Moved(1, 2)).StartsAt);
    }

    [Fact]
    public void A_cancellation_is_final_whatever_arrives_after_it_or_before_it()
    {
        Assert.True(Settle(Cancelled(2), Scheduled(1)).Cancelled);
        Assert.True(Settle(Cancelled(2), Moved(1, 3)).Cancelled);
        Assert.True(Settle(Scheduled(1), Cancelled(2)).Cancelled);
    }

    [Fact]
    public void A_row_a_removal_created_before_the_session_was_known_takes_the_start_of_any_later_report()
    {
        var placeholder = new SessionStanding(null, false, 0);

        Assert.Equal(new SessionStanding(Monday, false, 1), SessionTimeline.Apply(placeholder, Scheduled(1)));
        Assert.Equal(new SessionStanding(Monday, false, 0), SessionTimeline.Apply(placeholder, new SessionReport(Monday, false, null)));
    }

    [Fact]
    public void Every_order_of_a_sessions_reports_settles_as_in_order_delivery()
    {
        SessionReport[] inOrder = [Scheduled(1), Moved(1, 2), Moved(3, 3), Cancelled(4)];
        var expected = Settle(inOrder);

        Assert.All(Permutations(inOrder), order => Assert.Equal(expected, Settle([.. order])));
        Assert.Equal(new SessionStanding(Monday, true, 4), expected);
    }

    static IEnumerable<IReadOnlyList<T>> Permutations<T>(IReadOnlyList<T> items) =>
        items.Count <= 1
            ? [items]
            : items.SelectMany((item, i) => Permutations([.. items.Where((_, j) => j != i)]).Select(rest => (IReadOnlyList<T>)[item, .. rest]));
}
