using Microsoft.Extensions.Options;
using VirtualIop.BuildingBlocks.Http;

namespace VirtualIop.Scheduling.Extensions;

/// <summary>
/// What Scheduling needs outside Development, checked at start-up: the calendar feeds it hands to patients and
/// clinicians carry real https links. Without a public base the feed URL would name the service's internal address
/// behind the gateway; without a join template the events carry no way into the session. Every failing setting is
/// named in one error, beside the other start-up checks.
/// </summary>
public sealed class ProductionSettings;

/// <summary>Reads the settings as bound from configuration, so that one start-up error lists them all.</summary>
public sealed class ProductionSettingsValidator(IHostEnvironment environment, IConfiguration configuration) : IValidateOptions<ProductionSettings>
{
    const string Section = $"{SchedulingOptions.SectionName}:CalendarFeeds";

    public ValidateOptionsResult Validate(string? name, ProductionSettings options)
    {
        if (environment.IsDevelopment()) return ValidateOptionsResult.Skip;
        var failures = Failures(configuration.GetSection(Section).Get<CalendarFeedOptions>() ?? new()).ToList();
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    public static IEnumerable<string> Failures(CalendarFeedOptions feeds) =>
        OutgoingUrls.RequiredLink($"{Section}:PublicBaseUrl", feeds.PublicBaseUrl,
                "the public base of calendar-feed URLs (the gateway's address); without it feeds would name the service's internal address.")
            .Concat(OutgoingUrls.RequiredLink($"{Section}:JoinUrlTemplate", feeds.JoinUrlTemplate,
                "the join link of each calendar event, with {sessionId} in place of the session's id."));
}
