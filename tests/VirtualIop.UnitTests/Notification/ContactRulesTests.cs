using VirtualIop.Notification.Domain;

namespace VirtualIop.UnitTests.Notification;

public class ContactRulesTests
{
    [Theory]
    [InlineData("+15551234567")]
    [InlineData("+34612345678")]
    [InlineData("+491701234567890")]
    public void An_E164_number_is_accepted(string phone) => Assert.True(ContactRules.IsE164(phone));

    [Theory]
    [InlineData("5551234567")]
    [InlineData("+05551234567")]
    [InlineData("+1 555 123 4567")]
    [InlineData("+1555123456789012")]
    [InlineData("+1-555-1234")]
    [InlineData("+12345")]
    public void A_number_that_is_not_E164_is_refused(string phone) => Assert.False(ContactRules.IsE164(phone));

    [Theory]
    [InlineData("21:00", true)]
    [InlineData("00:00", true)]
    [InlineData("23:59", true)]
    [InlineData("24:00", false)]
    [InlineData("9:00", false)]
    [InlineData("09:00:00", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void Quiet_hours_are_clock_times_as_HH_mm(string? text, bool valid) => Assert.Equal(valid, ContactRules.TryParseClockTime(text, out _));

    [Theory]
    [InlineData("app-user-42", true)]
    [InlineData("has space", false)]
    [InlineData("", false)]
    public void A_push_address_is_a_printable_reference_without_spaces(string address, bool valid) =>
        Assert.Equal(valid, ContactRules.IsPushAddress(address));
}
