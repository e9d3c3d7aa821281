using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace VirtualIop.BrowserTests;

/// <summary>
/// One test's walk through the site in its own browser context: every page it reaches is saved as a full-page
/// screenshot, numbered in the order visited.
/// </summary>
public sealed class BrowserVisit(IBrowserContext context, IPage page, string screenshotFolder) : IAsyncDisposable
{
    static readonly string[] BlockingImpacts = ["serious", "critical"];

    int screenshots;

    public IPage Page => page;

    public IBrowserContext Context => context;

    /// <summary>Opens <paramref name="path"/> (relative to the site), saves its screenshot as <paramref name="pageName"/>, and returns the response.</summary>
    public async Task<IResponse> GoToAsync(string path, string pageName)
    {
        var response = await page.GotoAsync(path) ?? throw new InvalidOperationException($"No response for {path}.");
        await CaptureAsync(pageName);
        return response;
    }

    /// <summary>Saves the page as it is now (after a click or a form post) as the next numbered screenshot.</summary>
    public async Task CaptureAsync(string pageName)
    {
        screenshots++;
        await page.ScreenshotAsync(new PageScreenshotOptions
        {
            Path = Path.Combine(screenshotFolder, $"{screenshots}-{pageName}.png"),
            FullPage = true,
        });
    }

    /// <summary>Runs axe-core on the page as it is now and fails, listing each rule and element, on any serious or critical violation.</summary>
    public async Task AssertNoSeriousAccessibilityViolationsAsync()
    {
        var result = await page.RunAxe();
        var blocking = result.Violations.Where(v => BlockingImpacts.Contains(v.Impact)).ToList();
        Assert.True(blocking.Count == 0, $"axe-core on {page.Url}:\n" + string.Join('\n', blocking.Select(Describe)));
    }

    static string Describe(AxeResultItem violation) =>
        $"- {violation.Impact} {violation.Id}: {violation.Help} ({violation.HelpUrl})\n" +
        string.Join('\n', violation.Nodes.Select(node => $"    {node.Target} {node.Html}"));

    public async ValueTask DisposeAsync() => await context.CloseAsync();
}
