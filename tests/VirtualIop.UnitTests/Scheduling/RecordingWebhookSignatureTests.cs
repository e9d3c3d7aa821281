using System.Globalization;
using VirtualIop.Scheduling.Domain;

namespace VirtualIop.UnitTests.Scheduling;

public sealed class RecordingWebhookSignatureTests
{
    const string Secret = "shared-with-the-video-platform";
    const string Body = """{"eventId":"d-1","makeupId":"6f1c3f8e-8d4a-4a57-9d8a-2b7e4c1d9a01","minutesWatched":42}""";
    static readonly DateTimeOffset Now = new(2030, 1, 7, 16, 0, 0, TimeSpan.Zero);

    static string Stamp(DateTimeOffset at) => at.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);

    [Fact]
    public void A_call_signed_with_the_secret_over_timestamp_dot_body_is_valid()
    {
        // printf '%s' "1894032000.$BODY" | openssl dgst -sha256 -hmac 'shared-with-the-video-platform'
        const string expected = "ffe27f96b8945a11367e2b351d77735cb790459dc161b17254a7d67f654f4da3";

        Assert.Equal("1894032000", Stamp(Now));
        Assert.Equal(expected, RecordingWebhookSignature.Sign(Secret, Stamp(Now), Body));
        Assert.Equal(WebhookVerdict.Valid, RecordingWebhookSignature.Verify(Secret, "1894032000", Body, expected, Now));
        Assert.Equal(WebhookVerdict.Valid, RecordingWebhookSignature.Verify(Secret, "1894032000", Body, expected.ToUpperInvariant(), Now));
    }

    [Fact]
    public void A_changed_body_another_secret_or_a_missing_header_is_refused()
    {
        var stamp = Stamp(Now);
        var signature = RecordingWebhookSignature.Sign(Secret, stamp, Body);

        Assert.Equal(WebhookVerdict.BadSignature, RecordingWebhookSignature.Verify(Secret, stamp, Body.Replace("42", "420"), signature, Now));
        Assert.Equal(WebhookVerdict.BadSignature, RecordingWebhookSignature.Verify("another-secret", stamp, Body, signature, Now));
        Assert.Equal(WebhookVerdict.BadSignature, RecordingWebhookSignature.Verify(Secret, Stamp(Now.AddSeconds(1)), Body, signature, Now));
        Assert.Equal(WebhookVerdict.MissingSignature, RecordingWebhookSignature.Verify(Secret, null, Body, signature, Now));
        Assert.Equal(WebhookVerdict.MissingSignature, RecordingWebhookSignature.Verify(Secret, stamp, Body, "", Now));
    }

    [Theory]
    [InlineData(-300, WebhookVerdict.Valid)]
    [InlineData(-301, WebhookVerdict.Stale)]
    [InlineData(300, WebhookVerdict.Valid)]
    [InlineData(301, WebhookVerdict.Stale)]
    public void A_call_more_than_five_minutes_from_now_is_stale(int secondsFromNow, WebhookVerdict verdict)
    {
        var stamp = Stamp(Now.AddSeconds(secondsFromNow));

        Assert.Equal(verdict, RecordingWebhookSignature.Verify(Secret, stamp, Body, RecordingWebhookSignature.Sign(Secret, stamp, Body), Now));
    }
}
