using System.Text.RegularExpressions;
using Microsoft.Playwright;
using VirtualIop.Notification.Domain;

namespace VirtualIop.BrowserTests;

/// <summary>
/// A patient says ahead of time that technical trouble will keep them from next week's session, runs the technical
/// check with the browser's media APIs, and asks for help: the help-desk ticket reaches the clinic's help desk.
/// </summary>
[Collection(BrowserStackCollection.Name)]
[Trait("Category", "Browser")]
public sealed class AdvanceNoticeTests(BrowserStack stack, FakeMediaChromium chromium) : IClassFixture<FakeMediaChromium>
{
    [Fact]
    public async Task A_patient_notifies_a_technical_absence_for_next_week_runs_the_check_and_the_help_desk_gets_the_ticket()
    {
        var partner = await stack.Gateway().AuthenticateAs(PartnerClient.DemoClinic);
        var patient = await partner.AddPatient("notice");
        var nextWeek = await partner.ScheduleSession(DateTimeOffset.UtcNow.AddDays(7), 60, [patient.Id]);
        await partner.ScheduleSoonSession(patient.Id);
        var link = await stack.MailSink.PersonalLinkIn(patient.Email, _ => true, PatientJourney.EventTimeout);
        await using var visit = await chromium.VisitAsync(stack.GatewayAddress, this);

        var sessions = await visit.GoToAsync(link.PathAndQuery, "sessions");

        Assert.Equal(200, sessions.Status);
        await Assertions.Expect(visit.Page.GetByTestId($"session-{nextWeek}")).ToBeVisibleAsync();
        await visit.AssertNoSeriousAccessibilityViolationsAsync();

        await visit.Page.GetByTestId($"session-{nextWeek}").GetByTestId("absence-link").ClickAsync();
        await Assertions.Expect(visit.Page).ToHaveURLAsync(new Regex($"/patient/absence\\?session={nextWeek}"));
        await visit.CaptureAsync("absence");
        await visit.AssertNoSeriousAccessibilityViolationsAsync();
        await visit.Page.GetByTestId("reason-technical").CheckAsync();
        await visit.Page.GetByTestId("send-absence").ClickAsync();

        var notice = visit.Page.GetByTestId("notice");
        await Assertions.Expect(notice).ToBeVisibleAsync();
        Assert.Contains(await visit.Page.GetByTestId("excused").InnerTextAsync(), new[]
        {
            "This absence is excused under your program's policy.",
            "Under your program's policy this absence is not excused (for example, because it is close to the session). Telling us still helps, and your clinic can offer ways to catch up."
        });
        Assert.DoesNotContain("violat", await notice.InnerTextAsync(), StringComparison.OrdinalIgnoreCase);
        await visit.CaptureAsync("absence-sent");
        await visit.AssertNoSeriousAccessibilityViolationsAsync();

        await visit.GoToAsync("/patient/technical-check", "technical-check");
        await visit.Page.GetByTestId("run-check").ClickAsync();

        await Assertions.Expect(visit.Page.GetByTestId("camera-status")).ToHaveTextAsync("Your camera works.");
        await Assertions.Expect(visit.Page.GetByTestId("microphone-status")).ToHaveTextAsync("Your microphone works.");
        await Assertions.Expect(visit.Page.GetByTestId("connection-status")).ToHaveTextAsync("Your connection is good.");
        await visit.CaptureAsync("technical-check-run");
        await visit.AssertNoSeriousAccessibilityViolationsAsync();

        await visit.Page.GetByTestId("ask-help").ClickAsync();

        await Assertions.Expect(visit.Page.GetByTestId("notice")).ToHaveTextAsync("Your request was sent. The help desk will contact you soon.");
        await visit.CaptureAsync("help-asked");
        var ticket = await stack.HelpDesk.WaitForTicketAsync(t =>
            t.GetProperty("patientId").GetGuid() == patient.Id && t.GetProperty("source").GetString() == TechnicalCheck.Source, PatientJourney.EventTimeout);
        var checks = ticket.GetProperty("checks");
        Assert.Equal(["ok", "ok", "ok"], new[] { "camera", "microphone", "connection" }.Select(c => checks.GetProperty(c).GetString()));
        Assert.DoesNotContain(patient.Email, ticket.GetRawText(), StringComparison.OrdinalIgnoreCase);
    }
}
