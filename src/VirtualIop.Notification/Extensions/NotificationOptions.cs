namespace VirtualIop.Notification.Extensions;

public sealed class NotificationOptions
{
    public const string SectionName = "Notification";

    static readonly TimeSpan[] DefaultReminderOffsets = [TimeSpan.FromDays(1), TimeSpan.FromHours(1)];

    /// <summary>
    /// How long before a session each reminder goes out. The default lives here, not in appsettings.json:
    /// configuration merges arrays index by index, so an override of fewer offsets would keep stale defaults.
    /// </summary>
    public TimeSpan[]? ReminderOffsets { get; set; }

    public IReadOnlyList<TimeSpan> EffectiveReminderOffsets => ReminderOffsets is { Length: > 0 } offsets ? offsets : DefaultReminderOffsets;

    public TimeSpan DispatchInterval { get; set; } = TimeSpan.FromSeconds(5);

    public int DispatchBatchSize { get; set; } = 20;

    /// <summary>How long a dispatcher holds the deliveries it claimed; longer than a send with all its retries.</summary>
    public TimeSpan DispatchLease { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Passes that may try one delivery before it is recorded as failed.</summary>
    public int MaxAttempts { get; set; } = 5;

    /// <summary>Where the links in messages point: the patient's portal.</summary>
    public string PatientPortalUrl { get; set; } = "http://localhost:5173";
}
