namespace VirtualIop.Engagement.Domain;

/// <summary>What a consent lets the clinic share with the recipient (42 CFR Part 2 §2.31: "how much and what kind").</summary>
public enum ConsentScope
{
    AttendanceOnly,
    AttendanceAndEngagement,
    TreatmentParticipation
}

public enum ConsentStatus
{
    Active,
    Expired,
    Revoked
}

/// <summary>
/// A consent is valid from its signature until it expires or is revoked, whichever comes first. At the instant of
/// expiry it is no longer valid. Only a valid consent allows a disclosure to its recipient.
/// </summary>
public static class ConsentRules
{
    public static ConsentStatus StatusAt(DateTimeOffset expiresAt, DateTimeOffset? revokedAt, DateTimeOffset now) =>
        revokedAt is not null && revokedAt <= now ? ConsentStatus.Revoked
        : expiresAt <= now ? ConsentStatus.Expired
        : ConsentStatus.Active;
}
