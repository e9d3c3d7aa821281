using System.Globalization;
using System.Text;
using VirtualIop.BuildingBlocks.Http;

namespace VirtualIop.UnitTests.BuildingBlocks;

public sealed class WebhookSignatureTests
{
    const string Secret = "clinic-webhook-secret-0123456789abcdef";
    const string Body = """{"eventId":"e1","kind":"joined"}""";
    static readonly DateTimeOffset Now = new(2030, 3, 4, 17, 0, 0, TimeSpan.Zero);
    static readonly TimeSpan Skew = TimeSpan.FromMinutes(5);

    static string Stamp(DateTimeOffset at) => at.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);

    /// <summary>A call signed at <paramref name="signedAt"/> with <see cref="Secret"/> over <see cref="Body"/>, received <see cref="Now"/>.</summary>
    static WebhookSignatureCheck Check(DateTimeOffset signedAt, string? signature = null, string body = Body, string secret = Secret) =>
        WebhookSignature.Verify(secret, Stamp(signedAt), signature ?? WebhookSignature.Compute(Secret, signedAt.ToUnixTimeSeconds(), Body), body, Now, Skew);

    [Fact]
    public void The_signature_is_sha256_equals_lowercase_hex_of_hmac_over_timestamp_dot_body_as_openssl_prints_it()
    {
        // printf '1700000000.{}' | openssl dgst -sha256 -hmac key
        Assert.Equal("sha256=9d713ed406bb7076d4123f0dc2c39d2df5c654ed4b0cd56b52c8b4c940bd63ae", WebhookSignature.Compute("key", 1700000000, "{}"));
        // printf '%s' "1894032000.$BODY" | openssl dgst -sha256 -hmac 'shared-with-the-video-platform'
        const string recording = """{"eventId":"d-1","makeupId":"6f1c3f8e-8d4a-4a57-9d8a-2b7e4c1d9a01","minutesWatched":42}""";
        Assert.Equal("sha256=ffe27f96b8945a11367e2b351d77735cb790459dc161b17254a7d67f654f4da3",
            WebhookSignature.Compute("shared-with-the-video-platform", 1894032000, Encoding.UTF8.GetBytes(recording)));
    }

    [Fact]
    public void A_call_signed_now_with_the_secret_is_valid_whether_the_body_arrives_as_text_or_raw_bytes()
    {
        var signature = WebhookSignature.Compute(Secret, Now.ToUnixTimeSeconds(), Body);

        Assert.Equal(WebhookSignatureCheck.Valid, WebhookSignature.Verify(Secret, Stamp(Now), signature, Body, Now, Skew));
        Assert.Equal(WebhookSignatureCheck.Valid, WebhookSignature.Verify(Secret, Stamp(Now), signature, Encoding.UTF8.GetBytes(Body), Now, Skew));
    }

    [Fact]
    public void Bare_hex_without_the_prefix_uppercase_hex_and_surrounding_spaces_are_accepted()
    {
        var hex = WebhookSignature.Compute(Secret, Now.ToUnixTimeSeconds(), Body)["sha256=".Length..];

        Assert.Equal(WebhookSignatureCheck.Valid, Check(Now, hex));
        Assert.Equal(WebhookSignatureCheck.Valid, Check(Now, hex.ToUpperInvariant()));
        Assert.Equal(WebhookSignatureCheck.Valid, Check(Now, "SHA256=" + hex.ToUpperInvariant()));
        Assert.Equal(WebhookSignatureCheck.Valid, Check(Now, $" sha256={hex} "));
    }

    [Theory]
    [InlineData(-300, WebhookSignatureCheck.Valid)]
    [InlineData(-301, WebhookSignatureCheck.Stale)]
    [InlineData(300, WebhookSignatureCheck.Valid)]
    [InlineData(301, WebhookSignatureCheck.Stale)]
    public void A_genuine_call_signed_exactly_the_skew_away_is_accepted_and_one_second_more_either_way_is_stale(int secondsFromNow,
        WebhookSignatureCheck check)
    {
        Assert.Equal(check, Check(Now.AddSeconds(secondsFromNow)));
    }

    [Fact]
    public void A_genuine_call_signed_far_in_the_future_or_the_past_is_stale()
    {
        Assert.Equal(WebhookSignatureCheck.Stale, Check(Now.AddDays(1)));
        Assert.Equal(WebhookSignatureCheck.Stale, Check(DateTimeOffset.UnixEpoch));
        const long beyondTheCalendar = 999_999_999_999;
        Assert.Equal(WebhookSignatureCheck.Stale, WebhookSignature.Verify(Secret, beyondTheCalendar.ToString(CultureInfo.InvariantCulture),
            WebhookSignature.Compute(Secret, beyondTheCalendar, Body), Body, Now, Skew));
    }

    [Fact]
    public void A_tampered_body_another_secret_or_a_signature_for_another_timestamp_does_not_match()
    {
        Assert.Equal(WebhookSignatureCheck.Mismatch, Check(Now, body: """{"eventId":"e1","kind":"left"}"""));
        Assert.Equal(WebhookSignatureCheck.Mismatch, Check(Now, body: Body + " "));
        Assert.Equal(WebhookSignatureCheck.Mismatch, Check(Now, secret: "another-clinic-secret-0123456789abcdef"));
        Assert.Equal(WebhookSignatureCheck.Mismatch, Check(Now, WebhookSignature.Compute(Secret, Now.ToUnixTimeSeconds() - 1, Body)));
    }

    [Fact]
    public void A_forged_call_with_an_old_timestamp_is_a_mismatch_so_stale_always_means_a_genuine_replay()
    {
        Assert.Equal(WebhookSignatureCheck.Mismatch, Check(Now.AddHours(-1), secret: "another-clinic-secret-0123456789abcdef"));
    }

    [Theory]
    [InlineData(null, "sha256=00")]
    [InlineData("", "sha256=00")]
    [InlineData(" ", "sha256=00")]
    [InlineData("1900000000", null)]
    [InlineData("1900000000", "")]
    [InlineData("1900000000", "  ")]
    public void A_missing_timestamp_or_signature_header_is_missing(string? timestamp, string? signature)
    {
        Assert.Equal(WebhookSignatureCheck.Missing, WebhookSignature.Verify(Secret, timestamp, signature, Body, Now, Skew));
    }

    [Theory]
    [InlineData("not-a-number", null)]
    [InlineData("-5", null)]
    [InlineData("+1900000000", null)]
    [InlineData("1900000000.5", null)]
    [InlineData("99999999999999999999", null)]
    [InlineData("1900000000", "sha256=")]
    [InlineData("1900000000", "sha256=00")]
    [InlineData("1900000000", "sha256=zz")]
    [InlineData("1900000000", "sha1=9d713ed406bb7076d4123f0dc2c39d2df5c654ed4b0cd56b52c8b4c940bd63ae")]
    [InlineData("1900000000", "9d713ed406bb7076d4123f0dc2c39d2df5c654ed4b0cd56b52c8b4c940bd63a")]
    [InlineData("1900000000", "nXE+1Ga7cHbUEj8NwsOdLfXGVO1LDNVrUsi0yUC9Y64=")]
    public void A_header_not_in_the_documented_format_is_malformed(string timestamp, string? signature)
    {
        Assert.Equal(WebhookSignatureCheck.Malformed,
            WebhookSignature.Verify(Secret, timestamp, signature ?? WebhookSignature.Compute(Secret, Now.ToUnixTimeSeconds(), Body), Body, Now, Skew));
    }

    [Fact]
    public void An_empty_body_is_signed_like_any_other()
    {
        var signature = WebhookSignature.Compute(Secret, Now.ToUnixTimeSeconds(), "");

        Assert.Equal(WebhookSignatureCheck.Valid, WebhookSignature.Verify(Secret, Stamp(Now), signature, "", Now, Skew));
        Assert.Equal(WebhookSignatureCheck.Mismatch, WebhookSignature.Verify(Secret, Stamp(Now), signature, "{}", Now, Skew));
    }

    [Fact]
    public void Verifying_without_a_secret_is_a_caller_bug_not_a_pass()
    {
        Assert.Throws<ArgumentException>(() => WebhookSignature.Verify("", Stamp(Now), WebhookSignature.Compute(Secret, Now.ToUnixTimeSeconds(), Body), Body, Now, Skew));
    }
}
