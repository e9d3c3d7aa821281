namespace VirtualIop.Notification.Domain;

/// <summary>
/// Which consent scopes (Engagement's ConsentGranted.Purpose) cover a message to a family or support contact. Telling
/// a supporter about a missed session discloses attendance, which every scope includes; nothing clinical is ever sent.
/// </summary>
public static class ConsentRules
{
    public const string AttendanceOnly = "attendanceOnly";
    public const string AttendanceAndEngagement = "attendanceAndEngagement";
    public const string TreatmentParticipation = "treatmentParticipation";

    /// <summary>The purpose a message to a supporter serves, as the accounting of disclosures records it.</summary>
    public static string Purpose(DeliveryKind kind) => kind switch
    {
        DeliveryKind.SupportUpdate => "attendance",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Only support updates go to family or support contacts.")
    };

    public static IReadOnlyList<string> ScopesCovering(string purpose) => purpose switch
    {
        "attendance" => [AttendanceOnly, AttendanceAndEngagement, TreatmentParticipation],
        "engagement" => [AttendanceAndEngagement, TreatmentParticipation],
        _ => []
    };

    /// <summary>A consent covers a send when it names this kind of recipient and a scope covering the purpose, was granted, has not expired and is not revoked.</summary>
    public static bool Covers(ConsentFacts consent, string recipientKind, string purpose, DateTimeOffset at) =>
        consent.GrantedAt is { } granted && consent.ExpiresAt is { } expires
        && consent.RecipientKind == recipientKind
        && consent.Purpose is { } scope && ScopesCovering(purpose).Contains(scope)
        && granted <= at && at < expires
        && consent.RevokedAt is null;
}

/// <summary>What Notification knows of one consent, from ConsentGranted and ConsentRevoked.</summary>
public sealed record ConsentFacts(string? Purpose, string? RecipientKind, DateTimeOffset? GrantedAt, DateTimeOffset? ExpiresAt, DateTimeOffset? RevokedAt);
