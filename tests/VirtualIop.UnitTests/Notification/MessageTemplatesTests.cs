using VirtualIop.Notification.Domain;

namespace VirtualIop.UnitTests.Notification;

public class MessageTemplatesTests
{
    static readonly MessageFacts Facts = new("Wednesday, 2 December 2026 at 13:00 (America/New_York)", "https://care.example/sessions/abc");

    public static TheoryData<DeliveryKind> Kinds => new(Enum.GetValues<DeliveryKind>());

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Every_message_renders_with_no_placeholder_left_unfilled(DeliveryKind kind)
    {
        var message = MessageTemplates.Render(kind, Facts);

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
}
