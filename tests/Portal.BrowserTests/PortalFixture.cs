using Microsoft.Playwright;

namespace ModelWatch.Portal.BrowserTests;

/// <summary>One Portal process and one headless Chromium per test collection; each test opens its own context (own cookies).</summary>
public class PortalFixture : IAsyncLifetime
{
    // Not the published default: the portal runs in Production, which refuses the demo with its default password.
    public const string DemoPassword = "browser-tests-demo-pass";
    public static readonly string[] ChromiumArgs =
        ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

    private IPlaywright? _playwright;
    private readonly List<IBrowserContext> _contexts = [];
    private readonly List<string> _cspViolations = [];

    // Chromium reports a blocked script, style or connection as a securitypolicyviolation event; echo it to the console
    // so a CSP that breaks Blazor, MudBlazor or Plotly fails the test that met it.
    private const string ReportCspViolations =
        "document.addEventListener('securitypolicyviolation', e => console.error('CSP violation: ' + e.violatedDirective + ' blocked ' + (e.blockedURI || 'inline') + ' at ' + e.sourceFile + ':' + e.lineNumber));";

    public PortalProcess Portal { get; private set; } = default!;
    public IBrowser Browser { get; private set; } = default!;
    public string Screenshots { get; } = Path.Combine(AppContext.BaseDirectory, "screenshots");

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(Screenshots);
        Portal = await PortalProcess.StartAsync(Screenshots, Environment);
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args = ChromiumArgs,
        });
    }

    /// <summary>A fresh browser context at the given width, signed in as the user.</summary>
    public async Task<IPage> SignInAsync(string username, int width = 1280, int height = 900)
    {
        var page = await NewPageAsync(width, height);
        await page.GotoAsync("/");
        await page.WaitForURLAsync("**/signin**");
        await page.FillAsync("input[name=username]", username);
        await page.FillAsync("input[name=password]", DemoPassword);
        await page.ClickAsync("[data-testid=signin-submit]");
        await page.WaitForSelectorAsync("[data-testid=fleet-grid]", new() { Timeout = 30_000 });
        await WaitForInteractiveAsync(page);
        return page;
    }

    /// <summary>Prerendered HTML arrives before the circuit; clicks only work once the layout reports it is interactive.</summary>
    public static Task WaitForInteractiveAsync(IPage page) => page.WaitForSelectorAsync("[data-interactive=true]", new() { Timeout = 20_000 });

    public async Task<IPage> NewPageAsync(int width = 1280, int height = 900)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = Portal.BaseUrl.ToString(),
            ViewportSize = new ViewportSize { Width = width, Height = height },
        });
        context.SetDefaultTimeout(20_000);
        await context.AddInitScriptAsync(ReportCspViolations);
        lock (_contexts) _contexts.Add(context);
        var page = await context.NewPageAsync();
        page.Console += (_, message) =>
        {
            if (message.Text.Contains("CSP violation", StringComparison.Ordinal) || message.Text.Contains("Content Security Policy", StringComparison.Ordinal))
                lock (_cspViolations) _cspViolations.Add($"{page.Url}: {message.Text}");
        };
        return page;
    }

    /// <summary>
    /// Closes the contexts opened so far. Tests call it when they end: an open page keeps its live circuit and charts
    /// redrawing, and a pile of them starves a small machine (navigations then time out, Chromium may die).
    /// </summary>
    public async Task CloseContextsAsync()
    {
        IBrowserContext[] open;
        lock (_contexts)
        {
            open = [.. _contexts];
            _contexts.Clear();
        }
        foreach (var context in open) await context.CloseAsync();
        var violations = TakeCspViolations();
        if (violations.Count > 0) throw new InvalidOperationException("The Content-Security-Policy blocked something the portal needs:\n" + string.Join("\n", violations));
    }

    /// <summary>The CSP violations reported since the last call (CloseContextsAsync fails the test on any left over).</summary>
    public IReadOnlyList<string> TakeCspViolations()
    {
        lock (_cspViolations)
        {
            string[] violations = [.. _cspViolations];
            _cspViolations.Clear();
            return violations;
        }
    }

    /// <summary>Full-page PNG under bin/.../screenshots/, once charts had a moment to draw.</summary>
    public async Task ScreenshotAsync(IPage page, string name)
    {
        await page.WaitForTimeoutAsync(800);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Screenshots, name + ".png"), FullPage = true });
    }

    /// <summary>Settings this collection's portal needs beyond the shared ones.</summary>
    protected virtual IReadOnlyDictionary<string, string>? Environment => null;

    /// <summary>The portal's output beside the screenshots; one file per collection's process.</summary>
    protected virtual string LogName => "portal.log";

    public async Task DisposeAsync()
    {
        await File.WriteAllTextAsync(Path.Combine(Screenshots, LogName), Portal?.Log ?? "");
        if (Browser is not null) await Browser.DisposeAsync();
        _playwright?.Dispose();
        if (Portal is not null) await Portal.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class PortalCollection : ICollectionFixture<PortalFixture>
{
    public const string Name = "portal";
}

/// <summary>
/// The governance tests move aliases, owners and on-call contacts: they get their own portal and database, so the
/// monitoring tests never read a model those tests changed.
/// </summary>
public sealed class GovernancePortalFixture : PortalFixture
{
    protected override string LogName => "governance-portal.log";
}

[CollectionDefinition(Name)]
public sealed class GovernanceCollection : ICollectionFixture<GovernancePortalFixture>
{
    public const string Name = "governance";
}
