using VirtualIop.Notification.Domain;

namespace VirtualIop.UnitTests.Notification;

/// <summary>A push title shows on a lock screen: it follows the text message's rules, not the email's.</summary>
public class PushTitleTests
{
    static readonly MessageFacts Facts = new("Wednesday, 2 December 2026 at 13:00 (America/New_York)", "https://care.example/sessions/abc")
    {
        MakeupOptions = "a one-on-one session with a member of your care team", Details = "minimumAttendance", PatientId = "p-123"
    };

    [Fact]
    public void Wording_that_asks_for_the_makeup_options_or_the_patient_reference_gets_neither_in_a_title()
    {
        var wording = new TemplateText("Catch up: {{makeupOptions}} {{details}} {{patientId}} from {{sessionTime}}", "{{link}}");

        var title = MessageTemplates.RenderTitle(DeliveryKind.MakeupOptions, Facts, Language.En, wording);

        Assert.Equal($"Catch up:    from {Facts.SessionTime}", title);
    }

    [Theory]
    [InlineData(DeliveryKind.Reminder, Language.En)]
    [InlineData(DeliveryKind.MakeupOptions, Language.Es)]
    public void Without_wording_of_its_own_a_title_is_the_built_in_subject(DeliveryKind kind, Language language) =>
        Assert.Equal(MessageTemplates.Render(kind, Facts, language).Subject, MessageTemplates.RenderTitle(kind, Facts, language));
}
