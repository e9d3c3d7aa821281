using VirtualIop.Notification.Domain;

namespace VirtualIop.UnitTests.Notification;

public class MakeupOfferOrderTests
{
    static readonly DateTimeOffset Offered = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);
    static readonly MakeupOfferTimes Unknown = new(null, null, null);

    [Fact]
    public void An_offer_for_a_makeup_never_heard_of_is_live() =>
        Assert.True(MakeupOfferOrder.OfferIsCurrent(null, Offered, Unknown));

    [Fact]
    public void An_offer_arriving_after_the_withdrawal_that_ended_it_stays_withdrawn() =>
        Assert.False(MakeupOfferOrder.OfferIsCurrent(null, Offered, Unknown with { WithdrawnAt = Offered.AddMinutes(1) }));

    [Fact]
    public void An_offer_arriving_after_the_expiry_that_ended_it_stays_expired() =>
        Assert.False(MakeupOfferOrder.OfferIsCurrent(null, Offered, Unknown with { ExpiredAt = Offered.AddDays(7) }));

    [Fact]
    public void An_offer_made_after_a_withdrawal_opens_the_makeup_again() =>
        Assert.True(MakeupOfferOrder.OfferIsCurrent(null, Offered.AddHours(1), new MakeupOfferTimes(Offered, Offered.AddMinutes(1), null)));

    [Fact]
    public void An_offer_made_at_the_same_instant_as_the_ending_loses_to_it() =>
        Assert.False(MakeupOfferOrder.OfferIsCurrent(null, Offered, Unknown with { WithdrawnAt = Offered }));

    [Fact]
    public void An_offer_must_come_after_the_later_of_a_withdrawal_and_an_expiry() =>
        Assert.False(MakeupOfferOrder.OfferIsCurrent(null, Offered.AddHours(1), Unknown with { WithdrawnAt = Offered, ExpiredAt = Offered.AddHours(2) }));

    [Fact]
    public void An_older_offer_arriving_after_a_newer_one_does_not_replace_it()
    {
        Assert.False(MakeupOfferOrder.OfferIsCurrent(null, Offered, Unknown with { OfferedAt = Offered.AddHours(1) }));
        Assert.True(MakeupOfferOrder.OfferIsCurrent(null, Offered, Unknown with { OfferedAt = Offered }));
    }

    [Fact]
    public void An_offer_without_a_time_holds_over_whatever_came_before_it() =>
        Assert.True(MakeupOfferOrder.OfferIsCurrent(null, null, new MakeupOfferTimes(Offered, Offered.AddMinutes(1), Offered.AddDays(7))));

    [Fact]
    public void A_withdrawal_heard_of_before_its_offer_or_after_one_without_a_time_ends_it() =>
        Assert.True(MakeupOfferOrder.EndingIsCurrent(null, Offered, Unknown));

    [Fact]
    public void A_withdrawal_after_the_offer_ends_it_and_at_the_same_instant_too()
    {
        Assert.True(MakeupOfferOrder.EndingIsCurrent(null, Offered.AddMinutes(1), Unknown with { OfferedAt = Offered }));
        Assert.True(MakeupOfferOrder.EndingIsCurrent(null, Offered, Unknown with { OfferedAt = Offered }));
    }

    [Fact]
    public void A_withdrawal_arriving_after_a_later_re_offer_leaves_the_makeup_open() =>
        Assert.False(MakeupOfferOrder.EndingIsCurrent(null, Offered, Unknown with { OfferedAt = Offered.AddHours(1) }));
}

public class MakeupOfferVersionTests
{
    static readonly DateTimeOffset At = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Versions_order_an_offer_against_an_ending_whatever_their_times_say()
    {
        var endedAtVersion3 = new MakeupOfferTimes(null, At, null, Version: 3);
        Assert.False(MakeupOfferOrder.OfferIsCurrent(2, At.AddHours(1), endedAtVersion3));
        Assert.True(MakeupOfferOrder.OfferIsCurrent(4, At.AddHours(-1), endedAtVersion3));
    }

    [Fact]
    public void An_ending_older_than_the_re_offer_held_leaves_the_makeup_open() =>
        Assert.False(MakeupOfferOrder.EndingIsCurrent(2, At.AddHours(1), new MakeupOfferTimes(At, null, null, Version: 3, OfferVersion: 3)));

    [Fact]
    public void A_booking_overtaken_by_a_re_offer_is_out_of_date_and_one_after_the_offer_holds()
    {
        Assert.False(MakeupOfferOrder.BookingIsCurrent(2, At, new MakeupOfferTimes(At.AddMinutes(1), null, null, Version: 3, OfferVersion: 3)));
        Assert.True(MakeupOfferOrder.BookingIsCurrent(2, At, new MakeupOfferTimes(At.AddMinutes(-1), null, null, Version: 1, OfferVersion: 1)));
    }

    [Fact]
    public void Without_versions_a_booking_is_ordered_by_its_time()
    {
        Assert.False(MakeupOfferOrder.BookingIsCurrent(null, At, new MakeupOfferTimes(At.AddMinutes(1), null, null)));
        Assert.False(MakeupOfferOrder.BookingIsCurrent(null, At, new MakeupOfferTimes(null, At, null)));
        Assert.True(MakeupOfferOrder.BookingIsCurrent(null, null, new MakeupOfferTimes(At.AddMinutes(1), At, null)));
    }

    [Fact]
    public void A_late_offer_still_says_what_was_offered_unless_a_newer_offer_is_held()
    {
        Assert.True(MakeupOfferOrder.OfferFactsAreNewer(1, new MakeupOfferTimes(null, null, At, Version: 4)));
        Assert.False(MakeupOfferOrder.OfferFactsAreNewer(1, new MakeupOfferTimes(At, null, null, Version: 3, OfferVersion: 3)));
        Assert.False(MakeupOfferOrder.OfferFactsAreNewer(null, new MakeupOfferTimes(null, null, null)));
    }

    [Fact]
    public void A_versioned_report_against_a_makeup_only_unversioned_reports_set_falls_back_to_times() =>
        Assert.False(MakeupOfferOrder.OfferIsCurrent(5, At, new MakeupOfferTimes(null, At.AddMinutes(1), null)));
}
