using VirtualIop.BuildingBlocks.Http;

namespace VirtualIop.UnitTests.BuildingBlocks;

public sealed class KeysetPagesTests
{
    [Fact]
    public void A_cursor_hands_back_the_start_and_id_it_was_made_from()
    {
        var startsAt = new DateTimeOffset(2030, 3, 10, 22, 0, 0, TimeSpan.Zero);
        var id = Guid.NewGuid();

        Assert.True(PageRequest.TryCreate(25, PageRequest.Encode(startsAt, id), new ValidationErrors(), out var page));

        Assert.Equal((25, startsAt, id), (page.Limit, page.AfterStartsAt!.Value, page.AfterId!.Value));
    }

    [Fact]
    public void A_cursor_is_url_safe_base64_of_the_start_ticks_and_the_id_without_padding()
    {
        var startsAt = new DateTimeOffset(2030, 3, 10, 17, 0, 0, TimeSpan.FromHours(-5));
        var id = Guid.Parse("0f8fad5b-d9cb-469f-a165-70867728950e");

        var cursor = PageRequest.Encode(startsAt, id);

        Assert.Equal("NjQwMzUwMDcyMDAwMDAwMDAwOjBmOGZhZDViZDljYjQ2OWZhMTY1NzA4Njc3Mjg5NTBl", cursor);
        Assert.Equal((startsAt, id), PageRequest.Decode(cursor)!.Value);
    }

    [Fact]
    public void Without_a_limit_a_page_holds_100()
    {
        Assert.True(PageRequest.TryCreate(null, null, new ValidationErrors(), out var page));

        Assert.Equal((100, (DateTimeOffset?)null, (Guid?)null), (page.Limit, page.AfterStartsAt, page.AfterId));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(500)]
    public void A_page_holds_1_to_500(int limit)
    {
        var errors = new ValidationErrors();

        Assert.True(PageRequest.TryCreate(limit, null, errors, out var page));

        Assert.Equal(limit, page.Limit);
        Assert.False(errors.Any);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(501)]
    [InlineData(-1)]
    public void A_page_size_outside_1_to_500_is_refused_naming_limit(int limit)
    {
        var errors = new ValidationErrors();

        Assert.False(PageRequest.TryCreate(limit, null, errors, out _));

        Assert.Equal(["limit"], errors.ToDictionary().Keys);
    }

    [Theory]
    [InlineData("bogus")]
    [InlineData("")]
    [InlineData("MTIzOm5vdC1hLWd1aWQ")]
    [InlineData("OTk5OTk5OTk5OTk5OTk5OTk5OTk6MDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDA")]
    [InlineData("LTE6MDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDA")]
    public void A_cursor_the_listing_did_not_hand_out_is_refused_naming_cursor(string cursor)
    {
        var errors = new ValidationErrors();

        Assert.False(PageRequest.TryCreate(null, cursor, errors, out _));

        Assert.Equal(["cursor"], errors.ToDictionary().Keys);
        Assert.Null(PageRequest.Decode(cursor));
    }

    [Fact]
    public void A_bad_limit_and_a_bad_cursor_are_both_named_beside_the_reads_other_errors()
    {
        var errors = new ValidationErrors();
        errors.Add("to", "The end of the range must come after its start.");

        Assert.False(PageRequest.TryCreate(0, "bogus", errors, out _));

        Assert.Equal(["to", "limit", "cursor"], errors.ToDictionary().Keys);
    }

    [Fact]
    public void Fetching_one_more_than_the_page_tells_whether_another_follows_and_where_it_starts()
    {
        var day = new DateTimeOffset(2030, 3, 10, 0, 0, 0, TimeSpan.Zero);
        var rows = Enumerable.Range(0, 3).Select(i => (StartsAt: day.AddHours(i), Id: Guid.NewGuid())).ToList();
        Assert.True(PageRequest.TryCreate(2, null, new ValidationErrors(), out var page));

        var (full, next) = page.Cut(rows, r => r);
        var (last, none) = page.Cut(rows.Skip(2).ToList(), r => r);

        Assert.Equal(3, page.Take);
        Assert.Equal(rows.Take(2), full);
        Assert.Equal(rows[1], PageRequest.Decode(next!)!.Value);
        Assert.Equal([rows[2]], last);
        Assert.Null(none);
    }
}
