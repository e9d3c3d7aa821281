using VirtualIop.BuildingBlocks.Messaging;

namespace VirtualIop.UnitTests.BuildingBlocks;

public sealed class RedriveScheduleTests
{
    [Fact]
    public void A_failed_message_first_goes_back_at_the_next_pass_then_after_doubling_delays_capped_at_the_maximum()
    {
        var schedule = new MessagingOptions();

        var delays = Enumerable.Range(0, 8).Select(n => schedule.RedriveDelay(n).TotalMinutes);

        Assert.Equal(new double[] { 0, 1, 2, 4, 8, 10, 10, 10 }, delays);
    }

    [Fact]
    public void With_the_defaults_a_message_is_retried_for_longer_than_a_half_hour_outage_before_it_is_parked()
    {
        var schedule = new MessagingOptions();

        Assert.Equal(TimeSpan.FromMinutes(45), schedule.RedriveWindow);
        Assert.True(schedule.RedriveWindow >= TimeSpan.FromMinutes(30));
        Assert.True(schedule.InboxRetention > schedule.RedriveWindow + schedule.OutboxRetention);
    }

    [Fact]
    public void A_long_redrive_count_never_overflows_the_delay()
    {
        var schedule = new MessagingOptions { RedriveInterval = TimeSpan.FromDays(1), RedriveMaxDelay = TimeSpan.FromDays(2) };

        Assert.Equal(TimeSpan.FromDays(2), schedule.RedriveDelay(1000));
    }
}
