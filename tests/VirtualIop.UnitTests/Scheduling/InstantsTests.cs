using VirtualIop.Scheduling.Apis;

namespace VirtualIop.UnitTests.Scheduling;

public sealed class InstantsTests
{
    [Theory]
    [InlineData("2030-05-01T14:00:00-04:00", "2030-05-01T18:00:00Z")]
    [InlineData("2030-05-01T18:00:00Z", "2030-05-01T18:00:00Z")]
    [InlineData("2030-05-01T20:00:00.5+02:00", "2030-05-01T18:00:00.5Z")]
    public void An_instant_that_states_its_offset_is_read_as_that_instant(string text, string utc)
    {
        Assert.True(Instants.TryParse(text, out var instant));
        Assert.Equal(DateTimeOffset.Parse(utc, System.Globalization.CultureInfo.InvariantCulture), instant);
    }

    [Theory]
    [InlineData("2030-05-01T14:00:00")]
    [InlineData("2030-05-01")]
    [InlineData("2030-05-01T14:00:00 02:00")]
    [InlineData("next tuesday")]
    [InlineData("")]
    public void Text_without_an_offset_or_not_an_instant_is_refused(string text)
    {
        Assert.False(Instants.TryParse(text, out _));
    }
}
