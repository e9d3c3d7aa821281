using VirtualIop.Scheduling.Domain;

namespace VirtualIop.UnitTests.Scheduling;

public sealed class SessionWindowTests
{
    static readonly DateTimeOffset Now = new(2030, 3, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Without_bounds_the_listing_covers_the_next_14_days()
    {
        Assert.True(SessionWindow.TryCreate(null, null, Now, out var window, out _));
        Assert.Equal(new SessionWindow(Now, Now.AddDays(14)), window);
    }

    [Fact]
    public void With_only_a_start_the_listing_covers_14_days_from_it()
    {
        var from = Now.AddDays(-3);
        Assert.True(SessionWindow.TryCreate(from, null, Now, out var window, out _));
        Assert.Equal(new SessionWindow(from, from.AddDays(14)), window);
    }

    [Fact]
    public void A_window_that_ends_before_it_starts_is_refused_on_to()
    {
        Assert.False(SessionWindow.TryCreate(Now, Now, Now, out _, out var errors));
        Assert.Equal("to", Assert.Single(errors).Field);
    }

    [Fact]
    public void A_window_longer_than_366_days_is_refused_on_to()
    {
        Assert.True(SessionWindow.TryCreate(Now, Now.AddDays(366), Now, out _, out _));
        Assert.False(SessionWindow.TryCreate(Now, Now.AddDays(366).AddTicks(1), Now, out _, out var errors));
        Assert.Equal("to", Assert.Single(errors).Field);
    }

    [Fact]
    public void Bounds_outside_2000_to_2100_are_refused_naming_each_instead_of_overflowing()
    {
        Assert.False(SessionWindow.TryCreate(DateTimeOffset.MaxValue.AddDays(-1), null, Now, out _, out var late));
        Assert.Equal("from", Assert.Single(late).Field);

        Assert.False(SessionWindow.TryCreate(null, DateTimeOffset.MinValue, Now, out _, out var early));
        Assert.Equal("to", Assert.Single(early).Field);
    }
}
