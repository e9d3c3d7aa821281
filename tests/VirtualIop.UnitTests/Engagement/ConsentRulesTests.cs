using VirtualIop.Engagement.Domain;

namespace VirtualIop.UnitTests.Engagement;

public class ConsentRulesTests
{
    static readonly DateTimeOffset Expiry = new(2027, 6, 30, 23, 59, 0, TimeSpan.Zero);

    [Fact]
    public void A_consent_is_valid_until_the_instant_it_expires()
    {
        Assert.Equal(ConsentStatus.Active, ConsentRules.StatusAt(Expiry, null, Expiry.AddTicks(-1)));
        Assert.Equal(ConsentStatus.Expired, ConsentRules.StatusAt(Expiry, null, Expiry));
    }

    [Fact]
    public void A_revoked_consent_is_no_longer_valid_from_the_moment_of_revocation()
    {
        var revokedAt = Expiry.AddDays(-30);

        Assert.Equal(ConsentStatus.Active, ConsentRules.StatusAt(Expiry, revokedAt, revokedAt.AddTicks(-1)));
        Assert.Equal(ConsentStatus.Revoked, ConsentRules.StatusAt(Expiry, revokedAt, revokedAt));
    }

    [Fact]
    public void Revocation_is_what_the_record_shows_even_after_the_expiry()
    {
        Assert.Equal(ConsentStatus.Revoked, ConsentRules.StatusAt(Expiry, Expiry.AddDays(-1), Expiry.AddDays(1)));
    }
}
