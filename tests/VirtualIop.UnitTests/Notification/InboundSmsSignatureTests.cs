using VirtualIop.Notification.Channels.Sms;

namespace VirtualIop.UnitTests.Notification;

/// <summary>Against Twilio's published request-validation vector, so the scheme matches the provider's and not just itself.</summary>
public class InboundSmsSignatureTests
{
    const string AuthToken = "12345";
    const string Url = "https://mycompany.com/myapp.php?foo=1&bar=2";
    const string Documented = "RSOYDt4T1cUTdK1PDd93/VVr8B8=";

    static readonly KeyValuePair<string, string>[] Form =
    [
        new("Digits", "1234"), new("To", "+18005551212"), new("From", "+14158675309"), new("Caller", "+14158675309"), new("CallSid", "CA1234567890ABCDE")
    ];

    [Fact]
    public void The_signature_matches_the_providers_documented_example() => Assert.Equal(Documented, InboundSmsSignature.Compute(AuthToken, Url, Form));

    [Fact]
    public void A_tampered_field_url_or_token_no_longer_validates()
    {
        Assert.True(InboundSmsSignature.IsValid(AuthToken, Url, Form, Documented));
        Assert.False(InboundSmsSignature.IsValid(AuthToken, Url, [.. Form[1..], new("Digits", "9999")], Documented));
        Assert.False(InboundSmsSignature.IsValid(AuthToken, Url + "&x=1", Form, Documented));
        Assert.False(InboundSmsSignature.IsValid("54321", Url, Form, Documented));
        Assert.False(InboundSmsSignature.IsValid(AuthToken, Url, Form, null));
        Assert.False(InboundSmsSignature.IsValid(AuthToken, Url, Form, "not-a-signature"));
    }
}
