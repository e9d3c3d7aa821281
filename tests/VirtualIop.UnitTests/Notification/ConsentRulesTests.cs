using VirtualIop.Notification.Domain;

namespace VirtualIop.UnitTests.Notification;

public class ConsentRulesTests
{
    static readonly DateTimeOffset Now = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    static readonly ConsentFacts Valid = new(ConsentRules.AttendanceOnly, "family", Now.AddDays(-10), Now.AddDays(30), null);

    [Fact]
    public void A_granted_unexpired_consent_for_this_kind_of_recipient_covers_a_note_about_attendance() =>
        Assert.True(ConsentRules.Covers(Valid, "family", "attendance", Now));

    [Fact]
    public void A_revoked_consent_covers_nothing() =>
        Assert.False(ConsentRules.Covers(Valid with { RevokedAt = Now.AddDays(-1) }, "family", "attendance", Now));

    [Fact]
    public void A_consent_covers_nothing_from_the_moment_it_expires()
    {
        Assert.True(ConsentRules.Covers(Valid with { ExpiresAt = Now.AddTicks(1) }, "family", "attendance", Now));
        Assert.False(ConsentRules.Covers(Valid with { ExpiresAt = Now }, "family", "attendance", Now));
    }

    [Fact]
    public void A_consent_for_family_does_not_cover_another_supporter() =>
        Assert.False(ConsentRules.Covers(Valid, "supportPerson", "attendance", Now));

    [Fact]
    public void An_attendance_only_consent_does_not_cover_engagement_news()
    {
        Assert.False(ConsentRules.Covers(Valid, "family", "engagement", Now));
        Assert.True(ConsentRules.Covers(Valid with { Purpose = ConsentRules.AttendanceAndEngagement }, "family", "engagement", Now));
    }

    [Fact]
    public void A_revocation_heard_of_before_its_grant_covers_nothing() =>
        Assert.False(ConsentRules.Covers(new ConsentFacts(null, null, null, null, Now.AddDays(-1)), "family", "attendance", Now));
}
