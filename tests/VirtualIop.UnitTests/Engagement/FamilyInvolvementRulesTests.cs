using VirtualIop.Engagement.Domain;

namespace VirtualIop.UnitTests.Engagement;

public class FamilyInvolvementRulesTests
{
    static readonly DateTimeOffset Now = new(2026, 12, 2, 17, 0, 0, TimeSpan.Zero);

    static ConsentFacts Consent(ConsentScope scope, double expiresInDays = 90, DateTimeOffset? revokedAt = null) =>
        new(Guid.NewGuid(), scope, Now.AddDays(expiresInDays), revokedAt);

    [Fact]
    public void Without_any_consent_no_family_task_may_be_opened_and_the_reason_says_so()
    {
        var gate = FamilyInvolvementRules.Decide([], Now);

        Assert.False(gate.Allowed);
        Assert.Contains("No consent", gate.Reason);
    }

    [Fact]
    public void A_valid_consent_covering_engagement_or_treatment_allows_the_task_and_is_named()
    {
        var engagement = Consent(ConsentScope.AttendanceAndEngagement);
        var treatment = Consent(ConsentScope.TreatmentParticipation, expiresInDays: 30);

        Assert.Equal(engagement.Id, FamilyInvolvementRules.Decide([engagement], Now).ConsentId);
        Assert.Equal(treatment.Id, FamilyInvolvementRules.Decide([treatment], Now).ConsentId);
    }

    [Fact]
    public void An_attendance_only_consent_does_not_cover_involvement()
    {
        var gate = FamilyInvolvementRules.Decide([Consent(ConsentScope.AttendanceOnly)], Now);

        Assert.False(gate.Allowed);
        Assert.Contains("attendance only", gate.Reason);
    }

    [Fact]
    public void A_revoked_consent_or_one_expiring_this_instant_is_not_valid()
    {
        var revoked = Consent(ConsentScope.TreatmentParticipation, revokedAt: Now.AddDays(-1));
        var expiringNow = Consent(ConsentScope.TreatmentParticipation, expiresInDays: 0);
        var expiringJustAfter = new ConsentFacts(Guid.NewGuid(), ConsentScope.TreatmentParticipation, Now.AddTicks(1), null);

        var gate = FamilyInvolvementRules.Decide([revoked, expiringNow], Now);

        Assert.False(gate.Allowed);
        Assert.Contains("revoked or expired", gate.Reason);
        Assert.True(FamilyInvolvementRules.Decide([expiringJustAfter], Now).Allowed);
    }

    [Fact]
    public void Of_several_covering_consents_the_one_valid_longest_is_relied_on()
    {
        var shorter = Consent(ConsentScope.AttendanceAndEngagement, expiresInDays: 10);
        var longer = Consent(ConsentScope.TreatmentParticipation, expiresInDays: 200);

        Assert.Equal(longer.Id, FamilyInvolvementRules.Decide([shorter, Consent(ConsentScope.AttendanceOnly, 400), longer], Now).ConsentId);
    }
}
