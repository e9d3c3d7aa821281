using VirtualIop.Scheduling.Domain;

namespace VirtualIop.UnitTests.Scheduling;

public sealed class PagingTests
{
    [Fact]
    public void A_cursor_hands_back_the_start_and_id_it_was_made_from()
    {
        var startsAt = new DateTimeOffset(2030, 3, 10, 22, 0, 0, TimeSpan.Zero);
        var id = Guid.NewGuid();

        Assert.True(PageRequest.TryCreate(25, PageRequest.Encode(startsAt, id), out var page, out _));

        Assert.Equal((25, startsAt, id), (page.Limit, page.AfterStartsAt!.Value, page.AfterId!.Value));
    }

    [Fact]
    public void Without_a_limit_a_page_holds_100_and_at_most_500_can_be_asked_for()
    {
        Assert.True(PageRequest.TryCreate(null, null, out var page, out _));
        Assert.Equal((100, (DateTimeOffset?)null), (page.Limit, page.AfterStartsAt));
        Assert.True(PageRequest.TryCreate(500, null, out _, out _));
        Assert.False(PageRequest.TryCreate(501, null, out _, out var tooMany));
        Assert.False(PageRequest.TryCreate(0, null, out _, out var none));
        Assert.Equal("limit", Assert.Single(tooMany).Field);
        Assert.Equal("limit", Assert.Single(none).Field);
    }

    [Theory]
    [InlineData("bogus")]
    [InlineData("")]
    [InlineData("MTIzOm5vdC1hLWd1aWQ")]
    [InlineData("OTk5OTk5OTk5OTk5OTk5OTk5OTk6MDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDA")]
    public void A_cursor_the_listing_did_not_hand_out_is_refused_naming_it(string cursor)
    {
        Assert.False(PageRequest.TryCreate(null, cursor, out _, out var errors));
        Assert.Equal("cursor", Assert.Single(errors).Field);
    }
}
