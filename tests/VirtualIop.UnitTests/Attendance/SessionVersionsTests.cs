using VirtualIop.Attendance.Domain;

namespace VirtualIop.UnitTests.Attendance;

public sealed class SessionVersionsTests
{
    [Fact]
    public void A_report_without_a_version_counts_as_older_than_any_versioned_one()
    {
        Assert.Equal(0, SessionVersions.Of(null));
        Assert.False(SessionVersions.Applies(SessionVersions.Of(null), kept: 1));
    }

    [Fact]
    public void A_newer_report_applies_and_an_older_one_does_not()
    {
        Assert.True(SessionVersions.Applies(3, kept: 1));
        Assert.False(SessionVersions.Applies(1, kept: 3));
    }

    [Fact]
    public void A_report_about_something_nothing_was_kept_for_applies()
    {
        Assert.True(SessionVersions.Applies(1, kept: null));
    }

    [Fact]
    public void Between_reports_of_equal_version_the_one_taken_in_last_wins_as_before_versions()
    {
        Assert.True(SessionVersions.Applies(0, kept: 0));
    }
}
