namespace VirtualIop.BuildingBlocks.Auth;

/// <summary>One scope per service API; a partner client is granted the ones it needs.</summary>
public static class PartnerScopes
{
    public const string Scheduling = "scheduling";
    public const string Attendance = "attendance";
    public const string Notification = "notification";
    public const string Engagement = "engagement";

    /// <summary>The one scope of a patient-scoped token; it is never granted to a partner client.</summary>
    public const string Patient = "patient";

    public static readonly IReadOnlyList<string> All = [Scheduling, Attendance, Notification, Engagement];
}
