using System.Security.Claims;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using VirtualIop.BuildingBlocks.Auth;

namespace VirtualIop.UnitTests.BuildingBlocks;

public sealed class PartnerTokenTests
{
    static readonly PartnerAuthOptions Options = new() { SigningKey = "unit-test-signing-key-0123456789abcdefgh" };

    [Fact]
    public async Task An_issued_token_validates_and_yields_the_clinic_it_was_issued_for()
    {
        var clinic = Guid.NewGuid();
        var token = new PartnerTokenIssuer(Options, TimeProvider.System).Issue(clinic, "client-a", ["scheduling", "attendance"], TimeSpan.FromMinutes(5));

        var result = await new JsonWebTokenHandler { MapInboundClaims = false }.ValidateTokenAsync(token, new TokenValidationParameters
        {
            ValidIssuer = Options.Issuer,
            ValidAudience = Options.Audience,
            IssuerSigningKey = PartnerAuthenticationExtensions.DevelopmentSigningKey(Options)
        });

        Assert.True(result.IsValid, result.Exception?.Message);
        var context = ClinicContext.FromPrincipal(new ClaimsPrincipal(result.ClaimsIdentity));
        Assert.Equal(new ClinicContext(clinic, "client-a"), context);
    }

    [Fact]
    public void A_principal_without_a_clinic_has_no_clinic_context()
    {
        var identity = new ClaimsIdentity([new Claim(PartnerClaims.ClientId, "client-a")], "Bearer");

        Assert.Null(ClinicContext.FromPrincipal(new ClaimsPrincipal(identity)));
    }

    [Fact]
    public void An_anonymous_principal_has_no_clinic_context_even_with_a_clinic_claim()
    {
        var identity = new ClaimsIdentity([new Claim(PartnerClaims.ClinicId, Guid.NewGuid().ToString())]);

        Assert.Null(ClinicContext.FromPrincipal(new ClaimsPrincipal(identity)));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("too-short")]
    public void A_missing_or_short_development_key_fails_loudly(string? key)
    {
        var error = Assert.Throws<InvalidOperationException>(() =>
            PartnerAuthenticationExtensions.DevelopmentSigningKey(new PartnerAuthOptions { SigningKey = key }));
        Assert.Contains("Auth:Authority", error.Message);
    }
}
