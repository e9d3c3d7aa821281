using VirtualIop.Scheduling.Extensions;

namespace VirtualIop.UnitTests.Scheduling;

public sealed class ProductionSettingsTests
{
    [Fact]
    public void Calendar_feeds_without_a_public_base_or_a_join_link_are_refused_naming_both()
    {
        var failures = ProductionSettingsValidator.Failures(new CalendarFeedOptions()).ToList();

        Assert.Equal(2, failures.Count);
        Assert.Contains(failures, f => f.StartsWith("Scheduling:CalendarFeeds:PublicBaseUrl is required", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Scheduling:CalendarFeeds:JoinUrlTemplate is required", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("http://localhost:5080", "https://video.clinic-care.org/join/{sessionId}", "PublicBaseUrl")]
    [InlineData("https://127.0.0.1", "https://video.clinic-care.org/join/{sessionId}", "PublicBaseUrl")]
    [InlineData("https://api.clinic-care.org", "https://meet.example.com/{sessionId}", "JoinUrlTemplate")]
    [InlineData("https://api.clinic-care.org", "http://video.clinic-care.org/join/{sessionId}", "JoinUrlTemplate")]
    [InlineData("https://api.clinic-care.org", "video/{sessionId}", "JoinUrlTemplate")]
    public void Calendar_feed_links_on_localhost_a_placeholder_host_or_plain_http_are_refused(string publicBase, string joinTemplate, string setting)
    {
        var failures = ProductionSettingsValidator.Failures(new CalendarFeedOptions { PublicBaseUrl = publicBase, JoinUrlTemplate = joinTemplate }).ToList();

        Assert.NotEmpty(failures);
        Assert.All(failures, f => Assert.StartsWith($"Scheduling:CalendarFeeds:{setting} (", f, StringComparison.Ordinal));
    }

    [Fact]
    public void Real_https_links_pass() =>
        Assert.Empty(ProductionSettingsValidator.Failures(new CalendarFeedOptions
        {
            PublicBaseUrl = "https://api.clinic-care.org", JoinUrlTemplate = "https://video.clinic-care.org/join/{sessionId}"
        }));
}
