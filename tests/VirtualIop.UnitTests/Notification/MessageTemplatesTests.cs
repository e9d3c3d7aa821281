using VirtualIop.Notification.Domain;

namespace VirtualIop.UnitTests.Notification;

public class MessageTemplatesTests
{
    static readonly MessageFacts Facts = new("Wednesday, 2 December 2026 at 13:00 (America/New_York)", "https://care.example/sessions/abc");

    public static TheoryData<DeliveryKind> Kinds => new(TemplatePlaceholders.Templated);

    public static TheoryData<DeliveryKind, Language> KindsInEveryLanguage()
    {
        var data = new TheoryData<DeliveryKind, Language>();
        foreach (var kind in TemplatePlaceholders.Templated)
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
        if (TemplatePlaceholders.Required(kind, Channel.Email).Contains(TemplatePlaceholders.SessionTime))
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
        var text = MessageTemplates.RenderShort(kind, Facts with { MakeupOptions = "one-on-one", Details = "minimumAttendance" }, language);

        if (TemplatePlaceholders.Required(kind, Channel.Sms).Contains(TemplatePlaceholders.SessionTime))
            Assert.Contains(Facts.SessionTime, text);
        Assert.Contains(Facts.Link, text);
        Assert.DoesNotContain("{{", text);
        foreach (var clinical in new[] { "therapy", "terapia", "treatment", "tratamiento", "diagnos", "program", "group", "grupo", "substance", "recovery",
                     "one-on-one", "minimumAttendance" })
        {
            Assert.DoesNotContain(clinical, text, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Theory]
    [InlineData(DeliveryKind.AbsenceAcknowledged, Language.En)]
    [InlineData(DeliveryKind.TechnicalSupport, Language.En)]
    [InlineData(DeliveryKind.AttendanceSupport, Language.En)]
    [InlineData(DeliveryKind.MakeupOptions, Language.En)]
    [InlineData(DeliveryKind.AttendanceSupport, Language.Es)]
    [InlineData(DeliveryKind.MakeupReopened, Language.En)]
    [InlineData(DeliveryKind.MakeupReopened, Language.Es)]
    public void Outreach_to_a_patient_is_supportive_and_never_punitive(DeliveryKind kind, Language language)
    {
        var message = MessageTemplates.Render(kind, Facts with { HelpDesk = "+1 555 0100" }, language);
        var text = message.Subject + "\n" + message.Body;

        foreach (var punitive in new[] { "violat", "policy", "política", "penalt", "warning", "consequence", "unexcused", "no-show", "complian", "must",
                     "required", "strike", "infracción", "sanción" })
        {
            Assert.DoesNotContain(punitive, text, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Theory]
    [InlineData(Language.En, "can no longer go ahead", "not because of anything you did")]
    [InlineData(Language.Es, "ya no podrá celebrarse", "No se debe a nada que usted haya hecho")]
    public void A_makeup_whose_session_was_cancelled_is_met_with_an_apology_the_time_and_the_options_open_again(Language language, string what,
        string reassurance)
    {
        var options = MessageTemplates.DescribeMakeupOptions(["recording"], language);

        var message = MessageTemplates.Render(DeliveryKind.MakeupReopened, Facts with { MakeupOptions = options }, language);

        Assert.Contains(what, message.Subject + message.Body);
        Assert.Contains(reassurance, message.Body);
        Assert.Contains(Facts.SessionTime, message.Body);
        Assert.Contains(options, message.Body);
        Assert.Contains(Facts.Link, message.Body);
    }

    [Fact]
    public void The_technical_support_message_gives_help_steps_and_the_help_desk_contact()
    {
        var message = MessageTemplates.Render(DeliveryKind.TechnicalSupport, Facts with { HelpDesk = "+1 555 0100" });

        Assert.Contains("1. ", message.Body);
        Assert.Contains("camera and microphone", message.Body);
        Assert.Contains("+1 555 0100", message.Body);
    }

    [Theory]
    [InlineData(Language.En, "a one-on-one session", "the recording")]
    [InlineData(Language.Es, "una sesión individual", "la grabación")]
    public void The_makeups_on_offer_are_listed_in_the_patients_language(Language language, string oneOnOne, string recording)
    {
        var options = MessageTemplates.DescribeMakeupOptions(["oneOnOne", "recording", "somethingNew"], language);

        Assert.Contains(oneOnOne, options);
        Assert.Contains(recording, options);
        Assert.Equal(3, options.Split('\n').Length);
    }

    [Fact]
    public void With_no_makeup_offered_yet_the_message_offers_help_to_find_one()
    {
        Assert.Contains("help you find a makeup time", MessageTemplates.DescribeMakeupOptions([], Language.En));
    }

    [Fact]
    public void A_missed_session_message_lists_the_makeups_on_offer()
    {
        var options = MessageTemplates.DescribeMakeupOptions(["extraGroupSlot"], Language.En);

        var message = MessageTemplates.Render(DeliveryKind.MissedSession, Facts with { MakeupOptions = options });

        Assert.Contains("a place in an extra session", message.Body);
    }

    [Fact]
    public void A_clinic_wording_is_used_when_it_has_one()
    {
        var wording = new TemplateText("See you {{sessionTime}}", "Our own words: {{sessionTime}} at {{link}}");

        var message = MessageTemplates.Render(DeliveryKind.Reminder, Facts, Language.En, wording);
        var text = MessageTemplates.RenderShort(DeliveryKind.Reminder, Facts, Language.En, new TemplateText(null, "Soon: {{sessionTime}} {{link}}"));

        Assert.Equal($"See you {Facts.SessionTime}", message.Subject);
        Assert.Equal($"Our own words: {Facts.SessionTime} at {Facts.Link}", message.Body);
        Assert.Equal($"Soon: {Facts.SessionTime} {Facts.Link}", text);
    }

    [Fact]
    public void A_placeholder_nothing_fills_fails_the_render()
    {
        var wording = new TemplateText(null, "Hello {{firstName}}, see you {{sessionTime}} at {{link}}");

        Assert.Throws<InvalidOperationException>(() => MessageTemplates.Render(DeliveryKind.Reminder, Facts, Language.En, wording));
    }

    [Theory]
    [InlineData(InboundSmsCommand.Confirm, Language.En, "confirmed")]
    [InlineData(InboundSmsCommand.Decline, Language.En, "makeup")]
    [InlineData(InboundSmsCommand.Decline, Language.Es, "otra sesión")]
    public void An_answer_to_a_reminder_gets_a_time_and_a_link_in_one_segment(InboundSmsCommand command, Language language, string expected)
    {
        var reply = MessageTemplates.SmsReply(command, language, new MessageFacts("Tue 1 Dec 18:00 (America/New_York)", "https://care.example/s/1"));

        Assert.Contains(expected, reply);
        Assert.Contains("https://care.example/s/1", reply);
        Assert.True(reply.Length <= 160, $"one SMS segment: {reply.Length} characters");
    }

    [Fact]
    public void A_clinician_alert_says_what_happened_from_its_code()
    {
        Assert.Contains("one step from a limit", ClinicianAlerts.Describe("attendanceWarning:minimumAttendance:0.7:0.75", Language.En));
        Assert.Contains("risk rose to high (signals: consecutiveMisses, technicalDifficulties)",
            ClinicianAlerts.Describe("engagementRisk:high:consecutiveMisses,technicalDifficulties", Language.En));
    }
}
