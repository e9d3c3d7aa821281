using Microsoft.Extensions.Hosting.Internal;
using VirtualIop.BuildingBlocks.Auth;

namespace VirtualIop.UnitTests.BuildingBlocks;

public sealed class PartnerAuthOptionsValidatorTests
{
    const string DevelopmentKey = "unit-test-signing-key-0123456789abcdefgh";

    static IReadOnlyList<string> Failures(string environment, PartnerAuthOptions options) =>
        new PartnerAuthOptionsValidator(new HostingEnvironment { EnvironmentName = environment }).Validate(null, options).Failures?.ToList() ?? [];

    [Fact]
    public void Outside_development_the_issuer_is_required_even_with_the_shared_key_and_every_failure_is_listed_at_once()
    {
        var failures = Failures("Production", new PartnerAuthOptions { SigningKey = DevelopmentKey, Audience = "", RequireHttpsMetadata = false });

        Assert.Equal(3, failures.Count);
        Assert.Contains(failures, f => f.StartsWith("Auth:Authority is required outside Development", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Auth:Audience", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Auth:RequireHttpsMetadata", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("Production", "https://login.example.org/", true)]
    [InlineData("Production", "http://login.example.org/", false)]
    [InlineData("Staging", "not a url", false)]
    [InlineData("Development", "", false)]
    [InlineData("Development", "http://localhost:5001/", false)]
    public void An_authority_must_be_an_https_url(string environment, string authority, bool valid)
    {
        Assert.Equal(valid, Failures(environment, new PartnerAuthOptions { Authority = authority, SigningKey = "" }).Count == 0);
    }

    [Theory]
    [InlineData(DevelopmentKey, true)]
    [InlineData("short", false)]
    [InlineData(null, false)]
    public void In_development_without_an_authority_the_shared_key_is_needed_at_its_full_length(string? key, bool valid)
    {
        Assert.Equal(valid, Failures("Development", new PartnerAuthOptions { SigningKey = key }).Count == 0);
    }
}
