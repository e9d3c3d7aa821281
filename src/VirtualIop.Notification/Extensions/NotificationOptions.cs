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

    /// <summary>
    /// How long the dispatcher waits after a pass that did not fill its batch. It bounds how long a due message waits:
    /// at 250 ms a "we missed you" email leaves within a second of the no-show decision (MissLatencyBenchmark).
    /// </summary>
    public TimeSpan DispatchInterval { get; set; } = TimeSpan.FromMilliseconds(250);

    public int DispatchBatchSize { get; set; } = 40;

    /// <summary>
    /// Sends one dispatcher pass runs at once; each sender keeps its own SMTP connection for the pass. A send mostly waits
    /// (on the mail server and on its two short statements), so eight keep up with 100 "we missed you" emails a second
    /// on two cores where four fell behind (MissLatencyBenchmark).
    /// </summary>
    public int DispatchParallelism { get; set; } = 8;

    /// <summary>
    /// How long a dispatcher holds the deliveries it claimed, renewed as each provider call starts. At least twice
    /// <see cref="SendTimeout"/>, so a call ends, and its outcome is recorded, while its lease holds.
    /// </summary>
    public TimeSpan DispatchLease { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// The longest one provider call may take, with its in-process retries; then it is cancelled. Cancelled before the
    /// message was handed over, the delivery is retried later; after, its outcome is unknown and it is not sent again.
    /// </summary>
    public TimeSpan SendTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Passes that may try one delivery before it is recorded as failed.</summary>
    public int MaxAttempts { get; set; } = 5;

    /// <summary>Where the links in messages point: the patient's portal.</summary>
    public string PatientPortalUrl { get; set; } = "http://localhost:5173";

    /// <summary>Where the links in clinician alerts point: the clinicians' view of a patient.</summary>
    public string ClinicianPortalUrl { get; set; } = "http://localhost:5173/clinician";

    public HelpDeskOptions HelpDesk { get; set; } = new();

    /// <summary>
    /// How long after an N the patient can answer the reason question with a number; a number after that, or with no
    /// question asked, changes nothing and is answered with where to get help.
    /// </summary>
    public TimeSpan ReasonReplyWindow { get; set; } = TimeSpan.FromHours(24);

    public PatientLinkOptions PatientLinks { get; set; } = new();
}

/// <summary>The personal links in patient-facing messages (Notification:PatientLinks).</summary>
public sealed class PatientLinkOptions
{
    /// <summary>How long a link works after its message was sent.</summary>
    public TimeSpan Lifetime { get; set; } = TimeSpan.FromDays(14);

    /// <summary>How long a link's row is kept after it stopped working (expired or revoked), then purged.</summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(30);
}

/// <summary>
/// The clinic's help desk: the contact technical-support messages give, and the signed webhook that opens a ticket
/// (unset: no ticket is opened, the patient still gets the help message).
/// </summary>
public sealed class HelpDeskOptions : Channels.SignedWebhookOptions
{
    /// <summary>How patients reach the help desk, as the messages print it (a phone number, an address).</summary>
    public string Contact { get; set; } = "your clinic's help desk, through the link below";
}
