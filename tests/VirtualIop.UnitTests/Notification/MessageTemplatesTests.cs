using VirtualIop.Notification.Domain;

namespace VirtualIop.UnitTests.Notification;

public class MessageTemplatesTests
{
    static readonly MessageFacts Facts = new("Wednesday, 2 December 2026 at 13:00 (America/New_York)", "https://care.example/sessions/abc");

    public static TheoryData<DeliveryKind> Kinds => new(Enum.GetValues<DeliveryKind>());

    public static TheoryData<DeliveryKind, Language> KindsInEveryLanguage()
    {
        var data = new TheoryData<DeliveryKind, Language>();
        foreach (var kind in Enum.GetValues<DeliveryKind>())
        foreach (var language in Enum.GetValues<Language>())
            data.Add(kind, language);
        return data;
    }

    [Theory]
    [MemberData(nameof(KindsInEveryLanguage))]
    public void Every_message_renders_in_every_language_with_no_placeholder_left_unfilled(DeliveryKind kind, Language language)
    {
        var message = MessageTemplates.Render(kind, Facts, language);

        foreach (var text in new[] { message.Subject, message.Body })
        {
            Assert.DoesNotContain("{{", text);
            Assert.DoesNotContain("}}", text);
        }
        Assert.Contains(Facts.SessionTime, message.Body);
        Assert.Contains(Facts.Link, message.Body);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void A_message_says_when_and_where_and_nothing_about_the_treatment(DeliveryKind kind)
    {
        var message = MessageTemplates.Render(kind, Facts);

        foreach (var clinical in new[] { "therapy", "treatment", "diagnos", "program", "group", "individual", "family", "substance", "recovery" })
        {
            Assert.DoesNotContain(clinical, message.Subject + message.Body, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public void The_missed_session_message_is_supportive_and_never_punitive()
    {
        var message = MessageTemplates.Render(DeliveryKind.MissedSession, Facts);
        var text = message.Subject + "\n" + message.Body;

        Assert.Contains("We missed you", message.Subject);
        Assert.Contains("catch up", text);
        foreach (var punitive in new[] { "violat", "policy", "penalt", "warning", "fail", "consequence", "unexcused", "no-show", "absence", "complian", "must", "required", "strike" })
        {
            Assert.DoesNotContain(punitive, text, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public void The_session_time_is_given_in_the_sessions_own_time_zone_across_daylight_saving()
    {
        var newYork = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");

        Assert.Equal("Wednesday, 1 July 2026 at 18:00 (America/New_York)",
            MessageTemplates.DescribeSessionTime(new DateTimeOffset(2026, 7, 1, 22, 0, 0, TimeSpan.Zero), newYork));
        Assert.Equal("Tuesday, 1 December 2026 at 18:00 (America/New_York)",
            MessageTemplates.DescribeSessionTime(new DateTimeOffset(2026, 12, 1, 23, 0, 0, TimeSpan.Zero), newYork));
    }

    [Fact]
    public void A_spanish_speaking_patient_gets_the_time_in_spanish_and_a_supportive_message()
    {
        var mexico = TimeZoneInfo.FindSystemTimeZoneById("America/Mexico_City");
        var time = MessageTemplates.DescribeSessionTime(new DateTimeOffset(2026, 12, 2, 0, 30, 0, TimeSpan.Zero), mexico, Language.Es);

        Assert.Equal("martes, 1 de diciembre de 2026 a las 18:30 (America/Mexico_City)", time);
        var message = MessageTemplates.Render(DeliveryKind.MissedSession, Facts with { SessionTime = time }, Language.Es);
        Assert.StartsWith("Le echamos de menos", message.Subject);
        Assert.Contains(time, message.Body);
    }

    [Theory]
    [InlineData(InboundSmsCommand.Stop, Language.En, "no longer")]
    [InlineData(InboundSmsCommand.Start, Language.En, "back on")]
    [InlineData(InboundSmsCommand.Help, Language.En, "https://care.example/help")]
    [InlineData(InboundSmsCommand.Help, Language.Es, "https://care.example/help")]
    [InlineData(InboundSmsCommand.Stop, Language.Es, "ya no")]
    public void Texted_keywords_get_a_short_answer_with_no_placeholder_left(InboundSmsCommand command, Language language, string expected)
    {
        var reply = MessageTemplates.SmsReply(command, language, "https://care.example/help");

        Assert.Contains(expected, reply);
        Assert.DoesNotContain("{{", reply);
        Assert.True(reply.Length <= 160, $"one SMS segment: {reply.Length} characters");
    }

    [Theory]
    [MemberData(nameof(KindsInEveryLanguage))]
    public void A_text_or_push_says_a_time_and_a_link_and_nothing_about_the_treatment(DeliveryKind kind, Language language)
    {
        var text = MessageTemplates.RenderShort(kind, Facts, language);

        Assert.Contains(Facts.SessionTime, text);
        Assert.Contains(Facts.Link, text);
        Assert.DoesNotContain("{{", text);
        foreach (var clinical in new[] { "therapy", "terapia", "treatment", "tratamiento", "diagnos", "program", "group", "grupo", "substance", "recovery" })
        {
            Assert.DoesNotContain(clinical, text, StringComparison.OrdinalIgnoreCase);
        }
    }
}
