using Microsoft.Playwright;

namespace VirtualIop.BrowserTests;

/// <summary>The pages anyone reaches through the gateway, in English and, once chosen, in Spanish.</summary>
[Collection(BrowserStackCollection.Name)]
[Trait("Category", "Browser")]
public sealed class PublicPagesTests(BrowserStack stack, Chromium chromium) : IClassFixture<Chromium>
{
    [Fact]
    public async Task The_home_page_renders_in_English_through_the_gateway()
    {
        await using var visit = await chromium.VisitAsync(stack.GatewayAddress, this);

        var response = await visit.GoToAsync("/", "home");

        Assert.Equal(200, response.Status);
        Assert.Equal("en", await visit.Page.Locator("html").GetAttributeAsync("lang"));
        Assert.Equal("VirtualIop", await visit.Page.GetByRole(AriaRole.Heading, new() { Level = 1 }).InnerTextAsync());
        Assert.Equal("Clinic staff: sign in to the console",
            await visit.Page.GetByRole(AriaRole.Link, new() { Name = "Clinic staff" }).InnerTextAsync());
        await visit.AssertNoSeriousAccessibilityViolationsAsync();
    }

    [Fact]
    public async Task The_home_page_fits_a_phone_screen_without_sideways_scrolling()
    {
        await using var visit = await chromium.VisitAsync(stack.GatewayAddress, this, phone: true);

        await visit.GoToAsync("/", "home-phone");

        Assert.True(await visit.Page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= document.documentElement.clientWidth"),
            "The home page is wider than a 390-pixel phone screen.");
        Assert.True(await visit.Page.GetByRole(AriaRole.Link, new() { Name = "Español" }).IsVisibleAsync());
        await visit.AssertNoSeriousAccessibilityViolationsAsync();
    }

    [Fact]
    public async Task Choosing_Español_renders_the_home_page_in_Spanish()
    {
        await using var visit = await chromium.VisitAsync(stack.GatewayAddress, this);
        await visit.GoToAsync("/", "home");

        await ChooseSpanish(visit);

        Assert.Equal("/", new Uri(visit.Page.Url).AbsolutePath);
        Assert.Equal("Personal de la clínica: iniciar sesión en la consola",
            await visit.Page.GetByRole(AriaRole.Link, new() { Name = "Personal de la clínica" }).InnerTextAsync());
        Assert.Equal("Saltar al contenido", await visit.Page.Locator("a.skip-link").InnerTextAsync());
        Assert.Equal("true", await visit.Page.GetByRole(AriaRole.Link, new() { Name = "Español" }).GetAttributeAsync("aria-current"));
        await visit.AssertNoSeriousAccessibilityViolationsAsync();
    }

    [Theory]
    [InlineData("en", "Page not found", "Sorry, there is nothing at this address.")]
    [InlineData("es", "Página no encontrada", "Lo sentimos, no hay nada en esta dirección.")]
    public async Task An_unknown_address_answers_404_with_the_not_found_page_in_the_chosen_language(
        string language, string title, string text)
    {
        await using var visit = await chromium.VisitAsync(stack.GatewayAddress, this, language);
        if (language == "es")
        {
            await visit.GoToAsync("/", "home");
            await ChooseSpanish(visit);
        }

        var response = await visit.GoToAsync("/no-such-page", "not-found");

        Assert.Equal(404, response.Status);
        Assert.Equal(language, await visit.Page.Locator("html").GetAttributeAsync("lang"));
        Assert.Equal(title, await visit.Page.GetByRole(AriaRole.Heading, new() { Level = 1 }).InnerTextAsync());
        Assert.Equal(text, await visit.Page.Locator("main p").InnerTextAsync());
        Assert.Equal(title, await visit.Page.TitleAsync());
        await visit.AssertNoSeriousAccessibilityViolationsAsync();
    }

    /// <summary>Clicks the language link as a person would, and waits for the page to come back in Spanish.</summary>
    static async Task ChooseSpanish(BrowserVisit visit)
    {
        await visit.Page.GetByRole(AriaRole.Navigation).GetByRole(AriaRole.Link, new() { Name = "Español" }).ClickAsync();
        await Assertions.Expect(visit.Page.Locator("html")).ToHaveAttributeAsync("lang", "es");
        await visit.CaptureAsync("home-es");
    }
}
