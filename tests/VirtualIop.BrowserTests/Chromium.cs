using System.Runtime.CompilerServices;
using Microsoft.Playwright;

namespace VirtualIop.BrowserTests;

/// <summary>
/// One headless Chromium per test class (an xunit class fixture), driven by Playwright. The browser is Debian's
/// (<c>apt-get install chromium</c>, which scripts/test.sh does where it is missing), reached through Playwright's
/// ExecutablePath: Playwright's own browser download is not reachable from these machines, so it is never called.
/// <c>VIRTUALIOP_TEST_CHROMIUM</c> names another Chromium-based browser.
/// </summary>
public class Chromium : IAsyncLifetime
{
    public const string ExecutableVariable = "VIRTUALIOP_TEST_CHROMIUM";

    static readonly string[] KnownExecutables = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"];

    IPlaywright? playwright;
    IBrowser? browser;

    /// <summary>Chromium's command-line switches beyond --no-sandbox (CI runs as root, where Chromium's sandbox cannot start).</summary>
    protected virtual IEnumerable<string> ExtraArguments => [];

    IBrowser Browser => browser ?? throw new InvalidOperationException("Chromium is not started.");

    /// <summary>
    /// How long an expectation waits for the page to get there: a sign-in crosses the web app, the gateway and a service,
    /// and CI runs other tiers beside this one on two cores, where Playwright's 5 s default is too short.
    /// </summary>
    static readonly TimeSpan ExpectationWait = TimeSpan.FromSeconds(20);

    public async Task InitializeAsync()
    {
        Assertions.SetDefaultExpectTimeout((float)ExpectationWait.TotalMilliseconds);
        var executable = TestEnvironment.Get(ExecutableVariable) ?? KnownExecutables.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException(
                $"No Chromium found ({string.Join(", ", KnownExecutables)}). Run the tests with 'bash scripts/test.sh', which " +
                $"installs it, or 'apt-get install chromium', or set {ExecutableVariable} to a Chromium-based browser.");
        playwright = await Playwright.CreateAsync();
        browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = executable,
            Headless = true,
            Args = ["--no-sandbox", .. ExtraArguments],
        });
    }

    /// <summary>
    /// A fresh browser context (no cookies, English preferred, a desktop screen or, with <paramref name="phone"/>, a
    /// phone's touch screen) on <paramref name="site"/>, whose screenshots go to the folder of the calling test:
    /// <paramref name="testClass"/>'s type name, the test's name and <paramref name="variant"/> (a theory's case).
    /// </summary>
    public async Task<BrowserVisit> VisitAsync(Uri site, object testClass, string? variant = null, bool phone = false,
        [CallerMemberName] string test = "")
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = site.ToString(),
            Locale = "en-US",
            ViewportSize = phone ? new ViewportSize { Width = 390, Height = 844 } : new ViewportSize { Width = 1280, Height = 800 },
            IsMobile = phone,
            HasTouch = phone,
        });
        var name = $"{testClass.GetType().Name}.{test}" + (variant is null ? "" : $"-{variant}");
        return new BrowserVisit(context, await context.NewPageAsync(), Screenshots.FolderFor(name));
    }

    public async Task DisposeAsync()
    {
        if (browser is not null)
        {
            await browser.CloseAsync();
        }

        playwright?.Dispose();
    }
}
