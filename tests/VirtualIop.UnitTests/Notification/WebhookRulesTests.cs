using System.Net;
using VirtualIop.Notification.Domain.Webhooks;

namespace VirtualIop.UnitTests.Notification;

public class WebhookRulesTests
{
    static readonly DateTimeOffset Now = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    static readonly WebhookRetryPolicy Policy = new(TimeSpan.FromSeconds(30), TimeSpan.FromHours(2), DisableAfterFailures: 15,
        DisableAfterFailingFor: TimeSpan.FromDays(1));

    [Theory]
    [InlineData(1, 30)]
    [InlineData(2, 60)]
    [InlineData(3, 120)]
    [InlineData(8, 3840)]
    [InlineData(9, 7200)]
    [InlineData(40, 7200)]
    public void Each_retry_waits_twice_as_long_as_the_one_before_up_to_the_longest_delay(int attempts, int seconds) =>
        Assert.Equal(Now.AddSeconds(seconds), WebhookRetryRules.NextAttemptAt(Policy, attempts, Now, Now.AddDays(3)));

    [Fact]
    public void The_last_attempt_falls_on_the_end_of_the_retry_window_and_after_it_the_delivery_has_failed()
    {
        var until = Now.AddMinutes(10);
        Assert.Equal(until, WebhookRetryRules.NextAttemptAt(Policy, 9, Now, until));
        Assert.Null(WebhookRetryRules.NextAttemptAt(Policy, 10, until, until));
    }

    [Fact]
    public void With_the_default_delays_a_failing_delivery_is_still_tried_a_day_later()
    {
        var queued = Now;
        var until = queued.AddDays(3);
        var at = queued;
        var attempts = 1;
        while (WebhookRetryRules.NextAttemptAt(Policy, attempts, at, until) is { } next && next - queued < TimeSpan.FromDays(1))
        {
            at = next;
            attempts++;
        }
        Assert.NotNull(WebhookRetryRules.NextAttemptAt(Policy, attempts, at, until));
        Assert.InRange(attempts, 10, 25);
    }

    [Fact]
    public void An_endpoint_is_disabled_only_after_enough_failures_in_a_row_over_a_long_enough_time()
    {
        Assert.True(WebhookRetryRules.ShouldDisable(Policy, 15, Now.AddDays(-1), Now));
        Assert.False(WebhookRetryRules.ShouldDisable(Policy, 14, Now.AddDays(-2), Now), "too few failures");
        Assert.False(WebhookRetryRules.ShouldDisable(Policy, 100, Now.AddHours(-23), Now), "a burst within a day");
    }

    [Fact]
    public void The_signature_is_hmac_sha256_over_timestamp_id_and_body_with_one_v1_per_secret()
    {
        // Reference value computed with: printf '1700000000.wh_1.{"a":1}' | openssl dgst -sha256 -hmac whsec_test
        Assert.Equal("t=1700000000,v1=" + WebhookSigning.Sign("whsec_test", 1700000000, "wh_1", "{\"a\":1}") + ",v1=" + WebhookSigning.Sign("old", 1700000000, "wh_1", "{\"a\":1}"),
            WebhookSigning.Header(1700000000, "wh_1", "{\"a\":1}", ["whsec_test", "old"]));
        Assert.Equal(ReferenceSignature, WebhookSigning.Sign("whsec_test", 1700000000, "wh_1", "{\"a\":1}"));
        Assert.NotEqual(ReferenceSignature, WebhookSigning.Sign("whsec_test", 1700000000, "wh_1", "{\"a\":2}"));
    }

    const string ReferenceSignature = "1a7f5c8d9741b55206489d83d2257b4f78303cc354e3c206c65b1b65148fb4c8";

    [Fact]
    public void Secrets_are_fresh_and_recognisable()
    {
        var secret = WebhookSigning.NewSecret();
        Assert.StartsWith("whsec_", secret);
        Assert.Equal(6 + 64, secret.Length);
        Assert.NotEqual(secret, WebhookSigning.NewSecret());
    }

    [Theory]
    [InlineData("https://hooks.clinic.example/virtualiop", true, null)]
    [InlineData("http://hooks.clinic.example/virtualiop", false, "https")]
    [InlineData("https://localhost/hook", false, "local")]
    [InlineData("https://127.0.0.1/hook", false, "public address")]
    [InlineData("https://10.1.2.3/hook", false, "public address")]
    [InlineData("https://172.16.0.1/hook", false, "public address")]
    [InlineData("https://192.168.1.1/hook", false, "public address")]
    [InlineData("https://169.254.169.254/latest/meta-data", false, "public address")]
    [InlineData("https://[::1]/hook", false, "public address")]
    [InlineData("https://[fd00::1]/hook", false, "public address")]
    [InlineData("https://metadata.internal/hook", false, "local")]
    [InlineData("https://user:pass@hooks.clinic.example/", false, "credentials")]
    [InlineData("not a url", false, "absolute")]
    [InlineData("", false, "required")]
    public void Outside_development_only_https_urls_to_public_addresses_are_accepted(string url, bool accepted, string? because)
    {
        var refusal = WebhookTargets.Refusal(url, allowPrivate: false);
        if (accepted) Assert.Null(refusal);
        else Assert.Contains(because!, refusal);
    }

    [Fact]
    public void In_development_a_local_http_listener_is_accepted() =>
        Assert.Null(WebhookTargets.Refusal("http://127.0.0.1:5099/hook", allowPrivate: true));

    [Theory]
    [InlineData("8.8.8.8", true)]
    [InlineData("100.64.0.1", false)]
    [InlineData("0.0.0.0", false)]
    [InlineData("::ffff:10.0.0.1", false)]
    [InlineData("2606:4700::1111", true)]
    [InlineData("fe80::1", false)]
    public void Resolved_addresses_are_checked_too(string address, bool isPublic) =>
        Assert.Equal(isPublic, WebhookTargets.IsPublic(IPAddress.Parse(address)));
}
