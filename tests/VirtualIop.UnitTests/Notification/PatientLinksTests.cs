using System.Security.Cryptography;
using System.Text;
using VirtualIop.Notification.Domain;

namespace VirtualIop.UnitTests.Notification;

public class PatientLinksTests
{
    static readonly Guid Session = Guid.Parse("0b6c1f5e-2d7a-4c1e-9f3a-5e8d2c4b6a10");

    [Theory]
    [InlineData("https://care.example.org", "https://care.example.org/p/TOKEN?next=/patient/sessions")]
    [InlineData("https://care.example.org/", "https://care.example.org/p/TOKEN?next=/patient/sessions")]
    [InlineData("https://clinic.example.org/patients/app/", "https://clinic.example.org/patients/app/p/TOKEN?next=/patient/sessions")]
    public void A_link_is_the_portal_then_the_token_then_the_page_to_open(string portal, string expected) =>
        Assert.Equal(expected, PatientLinks.Build(portal, "TOKEN", "/patient/sessions"));

    [Theory]
    [InlineData(DeliveryKind.Reminder, "/patient/sessions")]
    [InlineData(DeliveryKind.JoinAlert, "/patient/sessions")]
    [InlineData(DeliveryKind.WaitlistPromoted, "/patient/sessions")]
    [InlineData(DeliveryKind.SessionCancelled, "/patient/sessions")]
    [InlineData(DeliveryKind.AttendanceSupport, "/patient/sessions")]
    [InlineData(DeliveryKind.MissedSession, "/patient/catch-up/0b6c1f5e-2d7a-4c1e-9f3a-5e8d2c4b6a10")]
    [InlineData(DeliveryKind.AbsenceAcknowledged, "/patient/catch-up/0b6c1f5e-2d7a-4c1e-9f3a-5e8d2c4b6a10")]
    [InlineData(DeliveryKind.MakeupOptions, "/patient/makeups")]
    [InlineData(DeliveryKind.MakeupReopened, "/patient/makeups")]
    [InlineData(DeliveryKind.MakeupBooked, "/patient/makeups")]
    [InlineData(DeliveryKind.TechnicalSupport, "/patient/technical-check")]
    public void Each_message_to_a_patient_opens_the_page_it_is_about(DeliveryKind kind, string page) =>
        Assert.Equal(page, PatientLinks.PageFor(kind, Session));

    [Theory]
    [InlineData(DeliveryKind.ClinicianAlert)]
    [InlineData(DeliveryKind.SafetyAlert)]
    [InlineData(DeliveryKind.SupportUpdate)]
    [InlineData(DeliveryKind.HelpDeskTicket)]
    public void A_message_to_a_clinician_a_supporter_or_the_help_desk_carries_no_patient_link(DeliveryKind kind) =>
        Assert.Null(PatientLinks.PageFor(kind, Session));

    [Fact]
    public void Every_kind_of_message_to_a_patient_has_a_page()
    {
        var toOthers = new[] { DeliveryKind.ClinicianAlert, DeliveryKind.SafetyAlert, DeliveryKind.SupportUpdate, DeliveryKind.HelpDeskTicket };
        Assert.All(Enum.GetValues<DeliveryKind>().Except(toOthers), kind => Assert.NotNull(PatientLinks.PageFor(kind, Session)));
    }

    [Fact]
    public void A_catch_up_without_a_session_opens_the_makeups() =>
        Assert.Equal("/patient/makeups", PatientLinks.PageFor(DeliveryKind.MissedSession, null));

    [Theory]
    [InlineData(InboundSmsCommand.Help, "/patient/technical-check")]
    [InlineData(InboundSmsCommand.Confirm, "/patient/sessions")]
    [InlineData(InboundSmsCommand.Decline, "/patient/makeups")]
    public void A_reply_to_a_text_opens_the_page_of_what_the_patient_asked(InboundSmsCommand command, string page) =>
        Assert.Equal(page, PatientLinks.PageFor(command));

    [Fact]
    public void Preferences_have_their_own_page() => Assert.Equal("/patient/preferences", PatientLinks.PagePath(PatientPage.Preferences));

    [Fact]
    public void A_token_is_43_url_safe_characters_and_is_stored_as_its_sha256()
    {
        var random = Enumerable.Range(0, PatientLinks.TokenBytes).Select(i => (byte)(i * 37 + 251)).ToArray();
        var token = PatientLinks.Encode(random);

        Assert.Equal(PatientLinks.TokenLength, token.Length);
        Assert.Matches("^[A-Za-z0-9_-]+$", token);
        Assert.Equal(random, Convert.FromBase64String(token.Replace('-', '+').Replace('_', '/') + "="));
        Assert.Equal(SHA256.HashData(Encoding.UTF8.GetBytes(token)), PatientLinks.Hash(token));
    }

    [Fact]
    public void A_link_works_until_the_instant_it_expires()
    {
        var expiresAt = new DateTimeOffset(2026, 12, 20, 9, 0, 0, TimeSpan.Zero);
        Assert.False(PatientLinks.IsExpired(expiresAt, expiresAt.AddTicks(-1)));
        Assert.True(PatientLinks.IsExpired(expiresAt, expiresAt));
    }

    [Theory]
    [InlineData("https://patients.clinic.org")]
    [InlineData("https://patients.clinic.org/app/")]
    [InlineData("http://localhost:5173")]
    public void A_portal_url_that_can_carry_a_link_is_accepted(string url) => Assert.Null(PatientLinks.PortalUrlProblem(url));

    [Theory]
    [InlineData(null)]
    [InlineData(" ")]
    [InlineData("patients.clinic.org")]
    [InlineData("ftp://patients.clinic.org")]
    [InlineData("javascript:alert(1)")]
    [InlineData("https://patients.clinic.org/app?clinic=1")]
    [InlineData("https://patients.clinic.org/app#top")]
    [InlineData("https://user:pw@patients.clinic.org")]
    public void A_portal_url_that_cannot_carry_a_link_is_refused(string? url) => Assert.NotNull(PatientLinks.PortalUrlProblem(url));

    [Fact]
    public void A_portal_url_longer_than_the_limit_is_refused() =>
        Assert.NotNull(PatientLinks.PortalUrlProblem("https://patients.clinic.org/" + new string('a', PatientLinks.MaxPortalUrlLength)));
}
