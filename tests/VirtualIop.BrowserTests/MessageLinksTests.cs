using System.Net;
using Microsoft.Playwright;
using VirtualIop.Notification.Domain;

namespace VirtualIop.BrowserTests;

/// <summary>
/// No message links to a page that does not exist: every kind of message and every texted reply that opens a patient
/// page is followed, with a real personal link from a real email of this run, to a 200 page that is neither the
/// expired link page nor the not-found page. The kinds that do not open a patient page link elsewhere: the clinician's
/// alert to the console (which asks staff to sign in) and a supporter's update to the public supporters page.
/// </summary>
[Collection(BrowserStackCollection.Name)]
[Trait("Category", "Browser")]
public sealed class MessageLinksTests(BrowserStack stack, Chromium chromium) : IClassFixture<Chromium>
{
    /// <summary>Kinds of message that open no patient page, and where each links instead (null: it links nowhere).</summary>
    static readonly Dictionary<DeliveryKind, string?> ElsewhereLinked = new()
    {
        [DeliveryKind.ClinicianAlert] = "/console/patients/{patientId}",
        [DeliveryKind.SafetyAlert] = "/console/patients/{patientId}",
        [DeliveryKind.SupportUpdate] = "/supporters",
        [DeliveryKind.HelpDeskTicket] = null
    };

    [Fact]
    public async Task Every_message_and_texted_reply_links_through_the_personal_link_to_a_page_that_exists()
    {
        var partner = await stack.Gateway().AuthenticateAs(PartnerClient.DemoClinic);
        var patient = await partner.AddPatient("links");
        var sessionId = await partner.ScheduleSoonSession(patient.Id);
        var token = PatientJourney.TokenOf(await stack.MailSink.PersonalLinkIn(patient.Email, _ => true, PatientJourney.EventTimeout));

        var pages = Enum.GetValues<DeliveryKind>()
            .Where(kind => !ElsewhereLinked.ContainsKey(kind))
            .Select(kind => (Name: $"kind-{kind}", Page: PatientLinks.PageFor(kind, sessionId)
                ?? throw new InvalidOperationException($"{kind} opens no patient page and is not among the kinds linked elsewhere.")))
            .Concat(Enum.GetValues<InboundSmsCommand>().Select(command => (Name: $"sms-{command}", Page: PatientLinks.PageFor(command))))
            .ToList();
        Assert.Equal(Enum.GetValues<DeliveryKind>().Length - ElsewhereLinked.Count + Enum.GetValues<InboundSmsCommand>().Length, pages.Count);

        await using var visit = await chromium.VisitAsync(stack.GatewayAddress, this);
        foreach (var (name, page) in pages)
        {
            var response = await visit.GoToAsync($"{PatientLinks.RedeemPath}{token}?{PatientLinks.NextParameter}={page}", name);

            Assert.True(response.Status == 200, $"{name}: {page} answered {response.Status}.");
            var landed = new Uri(visit.Page.Url);
            Assert.Equal(page, landed.AbsolutePath);
            Assert.Equal(0, await visit.Page.Locator("[data-testid=link-expired], [data-testid=link-unavailable]").CountAsync());
            Assert.NotEqual("Page not found", await visit.Page.GetByRole(AriaRole.Heading, new() { Level = 1 }).InnerTextAsync());
        }
    }

    [Fact]
    public async Task A_supporters_update_links_to_a_public_page_for_family_and_supporters_in_English_and_Spanish()
    {
        await using var visit = await chromium.VisitAsync(stack.GatewayAddress, this);

        var response = await visit.GoToAsync(ElsewhereLinked[DeliveryKind.SupportUpdate]!, "supporters");

        Assert.Equal(200, response.Status);
        Assert.Equal("Helping someone stay with their program", await visit.Page.GetByRole(AriaRole.Heading, new() { Level = 1 }).InnerTextAsync());
        await visit.AssertNoSeriousAccessibilityViolationsAsync();

        await visit.Page.GetByRole(AriaRole.Navigation, new() { Name = "Language" }).GetByRole(AriaRole.Link, new() { Name = "Español" }).ClickAsync();

        await Assertions.Expect(visit.Page.Locator("html")).ToHaveAttributeAsync("lang", "es");
        Assert.Equal("/supporters", new Uri(visit.Page.Url).AbsolutePath);
        Assert.Equal("Cómo ayudar a alguien a continuar su programa", await visit.Page.GetByRole(AriaRole.Heading, new() { Level = 1 }).InnerTextAsync());
        await visit.CaptureAsync("supporters-es");
        await visit.AssertNoSeriousAccessibilityViolationsAsync();
    }

    [Fact]
    public async Task A_clinician_alert_links_to_the_console_which_asks_staff_to_sign_in()
    {
        using var gateway = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = stack.GatewayAddress };
        var path = ElsewhereLinked[DeliveryKind.ClinicianAlert]!.Replace("{patientId}", Guid.NewGuid().ToString());

        using var response = await gateway.GetAsync(path);

        Assert.True(response.StatusCode is HttpStatusCode.Redirect or HttpStatusCode.Found or HttpStatusCode.SeeOther or HttpStatusCode.TemporaryRedirect,
            $"{path} answered {(int)response.StatusCode}, not a redirect to sign in.");
        Assert.NotNull(response.Headers.Location);
    }
}
