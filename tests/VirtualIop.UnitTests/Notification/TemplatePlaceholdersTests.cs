using VirtualIop.Notification.Domain;

namespace VirtualIop.UnitTests.Notification;

public class TemplatePlaceholdersTests
{
    public static TheoryData<DeliveryKind, Language, Channel> EveryBuiltInTemplate()
    {
        var data = new TheoryData<DeliveryKind, Language, Channel>();
        foreach (var kind in TemplatePlaceholders.Templated)
        foreach (var language in Enum.GetValues<Language>())
        foreach (var channel in Enum.GetValues<Channel>())
            data.Add(kind, language, channel);
        return data;
    }

    [Theory]
    [MemberData(nameof(EveryBuiltInTemplate))]
    public void Every_built_in_template_passes_the_checks_a_clinic_wording_must_pass(DeliveryKind kind, Language language, Channel channel)
    {
        var standard = MessageTemplates.Default(kind, language, channel);

        Assert.Empty(TemplatePlaceholders.Validate(kind, channel, standard.Subject, standard.Body));
    }

    [Fact]
    public void An_unknown_placeholder_is_refused_naming_the_field()
    {
        var errors = TemplatePlaceholders.Validate(DeliveryKind.Reminder, Channel.Email, "Hi {{firstName}}", "{{sessionTime}} {{link}}");

        var (field, message) = Assert.Single(errors);
        Assert.Equal("subject", field);
        Assert.Contains("{{firstName}}", message);
    }

    [Fact]
    public void A_missing_required_placeholder_is_refused()
    {
        var errors = TemplatePlaceholders.Validate(DeliveryKind.Reminder, Channel.Email, null, "Your session is on {{sessionTime}}.");

        var (field, message) = Assert.Single(errors);
        Assert.Equal("body", field);
        Assert.Contains("{{link}}", message);
    }

    [Theory]
    [InlineData(DeliveryKind.MissedSession, Channel.Sms)]
    [InlineData(DeliveryKind.MissedSession, Channel.Push)]
    [InlineData(DeliveryKind.MakeupReopened, Channel.Sms)]
    [InlineData(DeliveryKind.MakeupReopened, Channel.Push)]
    public void A_text_or_push_may_not_carry_a_placeholder_that_reveals_care(DeliveryKind kind, Channel channel)
    {
        var errors = TemplatePlaceholders.Validate(kind, channel, null, "Your options: {{makeupOptions}} {{link}}");

        Assert.Contains(errors, e => e.Field == "body" && e.Message.Contains("may reveal care"));
    }

    [Fact]
    public void An_email_may_list_the_makeups_on_offer()
    {
        Assert.Empty(TemplatePlaceholders.Validate(DeliveryKind.MissedSession, Channel.Email, "We missed you", "{{makeupOptions}} {{link}}"));
        Assert.Empty(TemplatePlaceholders.Validate(DeliveryKind.MakeupReopened, Channel.Email, "Open again", "{{sessionTime}} {{makeupOptions}} {{link}}"));
    }

    [Fact]
    public void Unbalanced_braces_are_refused()
    {
        var errors = TemplatePlaceholders.Validate(DeliveryKind.Reminder, Channel.Sms, null, "{{sessionTime}} {{link}} {{oops");

        Assert.Contains(errors, e => e.Field == "body" && e.Message.Contains("Unbalanced"));
    }
}
