using VirtualIop.BuildingBlocks.Http;
using VirtualIop.Scheduling.Domain;

namespace VirtualIop.Scheduling.Extensions;

public sealed class SchedulingOptions
{
    public const string SectionName = "Scheduling";

    /// <summary>The shortest session a clinic may book; the end-to-end test shrinks it to a minute.</summary>
    public int MinimumSessionMinutes { get; set; } = NewSession.DefaultMinDurationMinutes;

    /// <summary>How far ahead a series' occurrences exist as sessions (so reminders and rosters can see them).</summary>
    public TimeSpan SeriesHorizon { get; set; } = TimeSpan.FromDays(56);

    /// <summary>How often the horizon worker rolls series forward.</summary>
    public TimeSpan HorizonInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How often the expiry worker looks for makeups whose offer ran out.</summary>
    public TimeSpan MakeupExpiryInterval { get; set; } = TimeSpan.FromMinutes(1);

    public RecordingWebhookOptions RecordingWebhook { get; set; } = new();

    public MakeupOptions Makeups { get; set; } = new();

    public CalendarFeedOptions CalendarFeeds { get; set; } = new();
}

/// <summary>When the service proposes an extra makeup group (Scheduling:Makeups).</summary>
public sealed class MakeupOptions
{
    /// <summary>How many different patients must have missed one topic, each with a makeup still open for a seat elsewhere.</summary>
    public int ExtraGroupThreshold { get; set; } = 3;

    /// <summary>How far back a missed session counts towards a proposal.</summary>
    public TimeSpan ExtraGroupWindow { get; set; } = TimeSpan.FromDays(14);
}

public sealed class CalendarFeedOptions
{
    /// <summary>
    /// The public base of feed URLs (the gateway's address, such as https://api.virtualiop.example); without it the
    /// URL is built from the request, which behind the gateway is the service's internal address.
    /// </summary>
    public string? PublicBaseUrl { get; set; }

    /// <summary>The join link each event carries, with {sessionId} in place of the session's id; none when unset.</summary>
    public string? JoinUrlTemplate { get; set; }
}

/// <summary>
/// The video platform's progress webhook (Scheduling:RecordingWebhook). Each clinic has its own secret,
/// <c>Scheduling:RecordingWebhook:Secrets:{clinicId}</c> (at least 32 characters), so one clinic's platform account can
/// never report watching for another clinic. A clinic without a secret has its webhooks refused (401).
/// </summary>
public sealed class RecordingWebhookOptions : ClinicWebhookOptions
{
    /// <summary>
    /// How long a delivery's event id is kept against replays (Scheduling:RecordingWebhook:EventRetention). A replay is
    /// refused by its signed timestamp once that is older than MaxClockSkew, so the id need not outlive twice that.
    /// </summary>
    public TimeSpan EventRetention { get; set; } = TimeSpan.FromDays(7);
}
