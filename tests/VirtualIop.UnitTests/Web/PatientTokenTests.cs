using VirtualIop.BuildingBlocks.Auth;
using VirtualIop.Web.Patient;

namespace VirtualIop.UnitTests.Web;

public sealed class PatientTokenTests
{
    static readonly PartnerAuthOptions Options = new() { SigningKey = "unit-test-signing-key-0123456789abcdefgh" };
    static readonly DateTimeOffset Now = new(2026, 12, 6, 9, 30, 0, TimeSpan.Zero);

    static PartnerTokenIssuer Issuer => new(Options, new FixedClock(Now));

    [Fact]
    public void A_patient_token_names_the_patient_the_clinic_and_when_it_ends()
    {
        var clinic = Guid.NewGuid();
        var patient = Guid.NewGuid();

        var token = PatientToken.Read(Issuer.IssuePatient(clinic, patient, "virtualiop-web", TimeSpan.FromMinutes(45)));

        Assert.Equal(new PatientToken(patient, clinic, Now.AddMinutes(45)), token);
    }

    [Fact]
    public void A_partner_or_staff_token_is_no_patient_sign_in()
    {
        var clinic = Guid.NewGuid();
        Assert.Null(PatientToken.Read(Issuer.Issue(clinic, "partner", ["scheduling"], TimeSpan.FromMinutes(5))));
        Assert.Null(PatientToken.Read(Issuer.IssueStaff(clinic, Guid.NewGuid(), StaffRoles.Clinician, "virtualiop-web", ["scheduling"], TimeSpan.FromMinutes(5))));
    }

    [Theory]
    [InlineData("")]
    [InlineData("not-a-token")]
    [InlineData("a.b.c")]
    public void Something_that_is_not_a_token_is_no_sign_in(string text) => Assert.Null(PatientToken.Read(text));

    sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
