using System.Text.Json;
using VirtualIop.Contracts;
using VirtualIop.Contracts.Attendance;
using VirtualIop.Contracts.Engagement;
using VirtualIop.Contracts.Scheduling;

namespace VirtualIop.Notification.Domain.Webhooks;

/// <summary>
/// One integration event as clinics receive it: its webhook type, the aggregate whose deliveries go out in version order
/// (a session's or a makeup's; null when the event carries no version), the version, and its data: the contract event
/// itself, which carries ids, codes and times only.
/// </summary>
public sealed record WebhookEvent(IIntegrationEvent Source, string Type, string? OrderingKey, long? Version, string Data);

public static class WebhookEvents
{
    public const string SessionScheduled = "session.scheduled";
    public const string SessionRescheduled = "session.rescheduled";
    public const string SessionCancelled = "session.cancelled";
    public const string Attended = "attendance.attended";
    public const string NoShow = "attendance.noShow";
    public const string AbsenceNotified = "attendance.absenceNotified";
    public const string AttendanceCorrected = "attendance.corrected";
    public const string MakeupOffered = "makeup.offered";
    public const string MakeupBooked = "makeup.booked";
    public const string MakeupCompleted = "makeup.completed";
    public const string FollowUpTaskOpened = "followUpTask.opened";
    public const string RiskRaised = "engagement.riskRaised";
    public const string PolicyWarning = "policy.warning";
    public const string PolicyBreached = "policy.breached";

    /// <summary>Every type a subscription may name, in the order the documentation lists them.</summary>
    public static readonly IReadOnlyList<string> Types =
    [
        SessionScheduled, SessionRescheduled, SessionCancelled, Attended, NoShow, AbsenceNotified, AttendanceCorrected,
        MakeupOffered, MakeupBooked, MakeupCompleted, FollowUpTaskOpened, RiskRaised, PolicyWarning, PolicyBreached
    ];

    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static WebhookEvent From(SessionScheduled e) => Session(e, SessionScheduled, e.SessionId);
    public static WebhookEvent From(SessionRescheduled e) => Session(e, SessionRescheduled, e.SessionId);
    public static WebhookEvent From(SessionCancelled e) => Session(e, SessionCancelled, e.SessionId);
    public static WebhookEvent From(SessionAttended e) => Unordered(e, Attended);
    public static WebhookEvent From(SessionMissed e) => Unordered(e, NoShow);
    public static WebhookEvent From(AbsenceNotified e) => Unordered(e, AbsenceNotified);
    public static WebhookEvent From(AttendanceCorrected e) => Unordered(e, AttendanceCorrected);
    public static WebhookEvent From(MakeupOffered e) => Makeup(e, MakeupOffered, e.MakeupId);
    public static WebhookEvent From(MakeupBooked e) => Makeup(e, MakeupBooked, e.MakeupId);
    public static WebhookEvent From(MakeupCompleted e) => Makeup(e, MakeupCompleted, e.MakeupId);
    public static WebhookEvent From(FollowUpTaskCreated e) => Unordered(e, FollowUpTaskOpened);
    public static WebhookEvent From(EngagementRiskRaised e) => Unordered(e, RiskRaised);
    public static WebhookEvent From(AttendanceWarning e) => Unordered(e, PolicyWarning);
    public static WebhookEvent From(PolicyBreached e) => Unordered(e, PolicyBreached);

    static WebhookEvent Session<T>(T e, string type, Guid sessionId) where T : IVersionedEvent =>
        new(e, type, e.Version is null ? null : $"session:{sessionId}", e.Version, Serialize(e));

    static WebhookEvent Makeup<T>(T e, string type, Guid makeupId) where T : IVersionedEvent =>
        new(e, type, e.Version is null ? null : $"makeup:{makeupId}", e.Version, Serialize(e));

    static WebhookEvent Unordered<T>(T e, string type) where T : IIntegrationEvent => new(e, type, null, null, Serialize(e));

    static string Serialize<T>(T e) => JsonSerializer.Serialize(e, Json);
}
