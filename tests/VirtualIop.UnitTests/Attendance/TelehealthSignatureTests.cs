using System.Text;
using VirtualIop.Attendance.Domain;

namespace VirtualIop.UnitTests.Attendance;

public sealed class TelehealthSignatureTests
{
    const string Secret = "clinic-webhook-secret-0123456789abcdef";
    static readonly DateTimeOffset Now = new(2030, 3, 4, 17, 0, 0, TimeSpan.Zero);
    static readonly TimeSpan Skew = TimeSpan.FromMinutes(5);
    static readonly byte[] Body = Encoding.UTF8.GetBytes("""{"eventId":"e1","kind":"joined"}""");

    static SignatureCheck Check(DateTimeOffset signedAt, string? signature = null, byte[]? body = null, string secret = Secret)
    {
        var timestamp = signedAt.ToUnixTimeSeconds();
        return TelehealthSignature.Verify(secret, timestamp.ToString(), signature ?? TelehealthSignature.Compute(Secret, timestamp, Body), body ?? Body, Now, Skew);
    }

    [Fact]
    public void A_request_signed_now_with_the_clinics_secret_is_valid()
    {
        Assert.Equal(SignatureCheck.Valid, Check(Now));
    }

    [Fact]
    public void The_signature_is_sha256_equals_lowercase_hex_of_hmac_over_timestamp_dot_body()
    {
        // printf '1700000000.{}' | openssl dgst -sha256 -hmac key
        Assert.Equal("sha256=9d713ed406bb7076d4123f0dc2c39d2df5c654ed4b0cd56b52c8b4c940bd63ae", TelehealthSignature.Compute("key", 1700000000, "{}"u8));
    }

    [Fact]
    public void Uppercase_hex_and_the_bare_hex_without_prefix_are_accepted()
    {
        var signature = TelehealthSignature.Compute(Secret, Now.ToUnixTimeSeconds(), Body);
        Assert.Equal(SignatureCheck.Valid, Check(Now, signature["sha256=".Length..]));
        Assert.Equal(SignatureCheck.Valid, Check(Now, "sha256=" + signature["sha256=".Length..].ToUpperInvariant()));
    }

    [Fact]
    public void A_timestamp_exactly_five_minutes_old_or_ahead_is_still_accepted()
    {
        Assert.Equal(SignatureCheck.Valid, Check(Now.AddMinutes(-5)));
        Assert.Equal(SignatureCheck.Valid, Check(Now.AddMinutes(5)));
    }

    [Fact]
    public void A_genuine_signature_replayed_a_second_after_the_five_minutes_is_stale()
    {
        Assert.Equal(SignatureCheck.Stale, Check(Now.AddMinutes(-5).AddSeconds(-1)));
        Assert.Equal(SignatureCheck.Stale, Check(Now.AddMinutes(5).AddSeconds(1)));
    }

    [Fact]
    public void A_changed_body_or_another_secret_does_not_match()
    {
        Assert.Equal(SignatureCheck.Mismatch, Check(Now, body: Encoding.UTF8.GetBytes("""{"eventId":"e1","kind":"left"}""")));
        Assert.Equal(SignatureCheck.Mismatch, Check(Now, secret: "another-clinic-secret-0123456789abcdef"));
    }

    [Fact]
    public void A_signature_for_another_timestamp_does_not_match()
    {
        Assert.Equal(SignatureCheck.Mismatch, Check(Now, TelehealthSignature.Compute(Secret, Now.ToUnixTimeSeconds() - 1, Body)));
    }

    [Theory]
    [InlineData(null, "sha256=00")]
    [InlineData("not-a-number", "sha256=00")]
    [InlineData("-5", "sha256=00")]
    [InlineData("1700000000", "")]
    [InlineData("1700000000", "sha256=zz")]
    [InlineData("1700000000", "base64+notHex/A==")]
    public void Missing_or_malformed_headers_are_refused(string? timestamp, string? signature)
    {
        Assert.Equal(SignatureCheck.Malformed, TelehealthSignature.Verify(Secret, timestamp, signature, Body, Now, Skew));
    }
}
