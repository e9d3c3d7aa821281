using Microsoft.Playwright;

namespace VirtualIop.BrowserTests;

/// <summary>
/// A patient's own pages, reached from the personal link in a real email read back from the SMTP sink, driven in
/// Chromium against the whole stack: catching up on a missed session and booking a makeup, and the Spanish pages.
/// </summary>
[Collection(BrowserStackCollection.Name)]
[Trait("Category", "Browser")]
public sealed class PatientPagesTests(BrowserStack stack, Chromium chromium) : IClassFixture<Chromium>
{
    static readonly TimeSpan MissedTimeout = TimeSpan.FromMinutes(4);

    [Fact]
    public async Task A_patient_who_missed_a_session_catches_up_from_the_we_missed_you_email_and_books_a_makeup_slot()
    {
        var partner = await stack.Gateway().AuthenticateAs(PartnerClient.DemoClinic);
        var patient = await partner.AddPatient("missed");
        var (sessionId, _) = await partner.CohortSessionStartingSoon(patient.Id, PatientJourney.DaytimeZone());
        await partner.RecordContent(sessionId, "Cravings pass like waves", "Trigger map");

        var link = await stack.MailSink.PersonalLinkIn(patient.Email, PatientJourney.Subject("missed you"), MissedTimeout);
        await using var visit = await chromium.VisitAsync(stack.GatewayAddress, this);

        var catchUp = await visit.GoToAsync(link.PathAndQuery, "catch-up");

        Assert.Equal(200, catchUp.Status);
        Assert.Equal($"/patient/catch-up/{sessionId}", new Uri(visit.Page.Url).AbsolutePath);
        await Assertions.Expect(visit.Page.GetByTestId("summary")).ToContainTextAsync("Cravings pass like waves");
        await Assertions.Expect(visit.Page.GetByTestId("homework")).ToContainTextAsync("Trigger map");
        await visit.AssertNoSeriousAccessibilityViolationsAsync();

        await visit.Page.GetByTestId("homework-done").ClickAsync();

        await Assertions.Expect(visit.Page.GetByTestId("homework-status")).ToHaveTextAsync("Homework done. Well done!");
        await Assertions.Expect(visit.Page.GetByTestId("notice")).ToHaveTextAsync("Great work! Your clinician will see that the homework is done.");
        await visit.CaptureAsync("homework-done");
        await visit.AssertNoSeriousAccessibilityViolationsAsync();

        await visit.GoToAsync("/patient/makeups", "makeups");
        var slot = visit.Page.GetByTestId("book-slot").First;
        await visit.Page.ReloadUntilVisible(slot, PatientJourney.EventTimeout);
        await visit.CaptureAsync("makeups-offered");
        await visit.AssertNoSeriousAccessibilityViolationsAsync();

        await slot.ClickAsync();

        await Assertions.Expect(visit.Page.GetByTestId("notice")).ToHaveTextAsync("Booked! You'll get a confirmation message.");
        await visit.CaptureAsync("makeup-booked");
        await visit.AssertNoSeriousAccessibilityViolationsAsync();
        var booked = await stack.MailSink.WaitForMessageAsync(patient.Email, PatientJourney.Subject("Your makeup is booked"), PatientJourney.EventTimeout);
        Assert.DoesNotContain("violat", await stack.MailSink.GetPlainTextAsync(booked), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task The_patient_pages_render_in_Spanish_once_chosen_with_no_serious_accessibility_violations()
    {
        var partner = await stack.Gateway().AuthenticateAs(PartnerClient.DemoClinic);
        var patient = await partner.AddPatient("spanish");
        var upcoming = await partner.ScheduleSession(DateTimeOffset.UtcNow.AddDays(7), 60, [patient.Id]);
        await partner.ScheduleSoonSession(patient.Id);
        var link = await stack.MailSink.PersonalLinkIn(patient.Email, _ => true, PatientJourney.EventTimeout);
        await using var visit = await chromium.VisitAsync(stack.GatewayAddress, this);
        await visit.GoToAsync(link.PathAndQuery, "sessions");

        await visit.Page.GetByRole(AriaRole.Navigation, new() { Name = "Language" }).GetByRole(AriaRole.Link, new() { Name = "Español" }).ClickAsync();
        await Assertions.Expect(visit.Page.Locator("html")).ToHaveAttributeAsync("lang", "es");

        (string Path, string Title)[] pages =
        [
            ("/patient/sessions", "Tus próximas sesiones"),
            ($"/patient/absence?session={upcoming}", "Avísanos que faltarás a una sesión"),
            ("/patient/makeups", "Recupera una sesión perdida"),
            ("/patient/catch-up", "Ponte al día con una sesión perdida"),
            ("/patient/technical-check", "Prueba técnica"),
            ("/patient/preferences", "Cómo te contactamos"),
            ("/supporters", "Cómo ayudar a alguien a continuar su programa")
        ];
        foreach (var (path, title) in pages)
        {
            var response = await visit.GoToAsync(path, path.Split('?')[0].Trim('/').Replace('/', '-') + "-es");

            Assert.Equal(200, response.Status);
            Assert.Equal("es", await visit.Page.Locator("html").GetAttributeAsync("lang"));
            Assert.Equal(title, await visit.Page.GetByRole(AriaRole.Heading, new() { Level = 1 }).InnerTextAsync());
            await visit.AssertNoSeriousAccessibilityViolationsAsync();
        }
    }
}
