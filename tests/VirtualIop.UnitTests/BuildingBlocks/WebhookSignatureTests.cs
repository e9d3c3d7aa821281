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
    const string Path = "/api/attendance/webhooks/telehealth/3f6c1d52-8a4b-4e1f-9c27-5d0b8e6a1f01";

    static string Stamp(DateTimeOffset at) => at.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);

    /// <summary>A call signed at <paramref name="signedAt"/> with <see cref="Secret"/> over <see cref="Body"/>, received <see cref="Now"/>.</summary>
    static WebhookSignatureCheck Check(DateTimeOffset signedAt, string? signature = null, string body = Body, string secret = Secret, string path = Path) =>
        WebhookSignature.Verify(secret, Stamp(signedAt), signature ?? Sign(signedAt.ToUnixTimeSeconds(), Body), "POST", path, body, Now, Skew);

    static string Sign(long timestamp, string body) => WebhookSignature.Compute(Secret, timestamp, "POST", Path, body);

    static WebhookSignatureCheck Verify(string secret, string? timestamp, string? signature, string body) =>
        WebhookSignature.Verify(secret, timestamp, signature, "POST", Path, body, Now, Skew);

    [Fact]
    public void The_signature_is_sha256_equals_lowercase_hex_of_hmac_over_timestamp_method_path_and_body_on_lines_as_openssl_prints_it()
    {
        // printf '1700000000\nPOST\n/hook\n{}' | openssl dgst -sha256 -hmac key
        Assert.Equal("sha256=edf5dbd5058da4d2ccc1355983c15a07c6e78f5b3e23a7152fbf44de5e8532e5", WebhookSignature.Compute("key", 1700000000, "post", "/hook", "{}"));
        // printf '%s\n%s\n%s\n%s' 1894032000 POST "$PATH" "$BODY" | openssl dgst -sha256 -hmac 'shared-with-the-video-platform'
        const string recording = """{"eventId":"d-1","makeupId":"6f1c3f8e-8d4a-4a57-9d8a-2b7e4c1d9a01","minutesWatched":42}""";
        Assert.Equal("sha256=b0472d95ac1cf12bcb1add697b54456f93a5dda7021e1b56762d2fe2dc2c1ace",
            WebhookSignature.Compute("shared-with-the-video-platform", 1894032000, "POST",
                "/api/scheduling/webhooks/recordings/3f6c1d52-8a4b-4e1f-9c27-5d0b8e6a1f01", Encoding.UTF8.GetBytes(recording)));
    }

    [Fact]
    public void A_signature_is_good_for_one_url_only_so_it_cannot_be_replayed_to_another_clinics_path_or_another_query()
    {
        Assert.Equal(WebhookSignatureCheck.Mismatch, Check(Now, path: "/api/attendance/webhooks/telehealth/a81e4f09-2c7d-4b53-8e16-0f9d3c5b7a02"));
        Assert.Equal(WebhookSignatureCheck.Mismatch, Check(Now, path: Path + "?x=1"));
        Assert.Equal(WebhookSignatureCheck.Mismatch,
            WebhookSignature.Verify(Secret, Stamp(Now), Sign(Now.ToUnixTimeSeconds(), Body), "PUT", Path, Body, Now, Skew));
    }

    [Fact]
    public void The_sender_signs_the_path_and_query_of_its_url_without_scheme_or_host()
    {
        Assert.Equal("/hooks/push?tenant=a%20b", WebhookSignature.Target(new Uri("https://partner.example:8443/hooks/push?tenant=a b")));
    }

    [Fact]
    public void A_call_signed_now_with_the_secret_is_valid_whether_the_body_arrives_as_text_or_raw_bytes()
    {
        var signature = Sign(Now.ToUnixTimeSeconds(), Body);

        Assert.Equal(WebhookSignatureCheck.Valid, Verify(Secret, Stamp(Now), signature, Body));
        Assert.Equal(WebhookSignatureCheck.Valid, WebhookSignature.Verify(Secret, Stamp(Now), signature, "POST", Path, Encoding.UTF8.GetBytes(Body), Now, Skew));
    }

    [Fact]
    public void Bare_hex_without_the_prefix_uppercase_hex_and_surrounding_spaces_are_accepted()
    {
        var hex = Sign(Now.ToUnixTimeSeconds(), Body)["sha256=".Length..];

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
        Assert.Equal(WebhookSignatureCheck.Stale, Verify(Secret, beyondTheCalendar.ToString(CultureInfo.InvariantCulture), Sign(beyondTheCalendar, Body), Body));
    }

    [Fact]
    public void A_tampered_body_another_secret_or_a_signature_for_another_timestamp_does_not_match()
    {
        Assert.Equal(WebhookSignatureCheck.Mismatch, Check(Now, body: """{"eventId":"e1","kind":"left"}"""));
        Assert.Equal(WebhookSignatureCheck.Mismatch, Check(Now, body: Body + " "));
        Assert.Equal(WebhookSignatureCheck.Mismatch, Check(Now, secret: "another-clinic-secret-0123456789abcdef"));
        Assert.Equal(WebhookSignatureCheck.Mismatch, Check(Now, Sign(Now.ToUnixTimeSeconds() - 1, Body)));
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
        Assert.Equal(WebhookSignatureCheck.Missing, Verify(Secret, timestamp, signature, Body));
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
        Assert.Equal(WebhookSignatureCheck.Malformed, Verify(Secret, timestamp, signature ?? Sign(Now.ToUnixTimeSeconds(), Body), Body));
    }

    [Fact]
    public void An_empty_body_is_signed_like_any_other()
    {
        var signature = Sign(Now.ToUnixTimeSeconds(), "");

        Assert.Equal(WebhookSignatureCheck.Valid, Verify(Secret, Stamp(Now), signature, ""));
        Assert.Equal(WebhookSignatureCheck.Mismatch, Verify(Secret, Stamp(Now), signature, "{}"));
    }

    [Fact]
    public void Verifying_without_a_secret_is_a_caller_bug_not_a_pass()
    {
        Assert.Throws<ArgumentException>(() => Verify("", Stamp(Now), Sign(Now.ToUnixTimeSeconds(), Body), Body));
    }
}
