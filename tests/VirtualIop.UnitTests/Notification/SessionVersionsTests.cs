using VirtualIop.Notification.Domain;

namespace VirtualIop.UnitTests.Notification;

public class SessionVersionsTests
{
    [Fact]
    public void A_newer_report_replaces_what_an_older_one_set() =>
        Assert.True(SessionVersions.Supersedes(4, 3));

    [Fact]
    public void An_older_or_equal_report_arriving_late_changes_nothing()
    {
        Assert.False(SessionVersions.Supersedes(2, 3));
        Assert.False(SessionVersions.Supersedes(3, 3));
    }

    [Fact]
    public void A_report_without_a_version_changes_only_what_no_versioned_report_set()
    {
        Assert.True(SessionVersions.Supersedes(null, 0));
        Assert.False(SessionVersions.Supersedes(null, 1));
    }

    [Fact]
    public void A_late_scheduling_does_not_undo_a_removal_or_rescheduling_heard_of_first() =>
        Assert.False(SessionVersions.ScheduledSupersedes(1, 4));

    [Fact]
    public void A_scheduling_fills_in_what_only_a_cancellation_tombstone_or_an_unversioned_report_holds()
    {
        Assert.True(SessionVersions.ScheduledSupersedes(1, 0));
        Assert.False(SessionVersions.ScheduledSupersedes(null, 0));
    }
}
