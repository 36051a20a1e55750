using Microsoft.Playwright;

namespace ModelWatch.Portal.BrowserTests;

/// <summary>
/// axe-core over every page in light and dark theme: no critical and no serious finding. A failure lists each finding's
/// rule, the elements it names and what to fix, page by page, so one bad page does not hide the others.
/// </summary>
[Collection(PortalCollection.Name)]
public class AccessibilityBrowserTests(PortalFixture portal) : IAsyncLifetime
{
    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => portal.CloseContextsAsync();

    /// <summary>Every page a signed-in user reaches, and what it shows once its data is on screen.</summary>
    public static readonly (string Url, string Ready)[] SignedInPages =
    [
        ("/", "[data-testid=fleet-grid]"),
        ("/models/fraud-detector?tab=drift", "[data-testid=drift-histogram] .main-svg"),
        ("/models/fraud-detector?tab=predictions", "[data-testid=panel-predictions]"),
        ("/models/fraud-detector?tab=performance", "[data-testid=panel-performance]"),
        ("/models/fraud-detector?tab=quality", "[data-testid=panel-quality]"),
        ("/models/fraud-detector?tab=latency", "[data-testid=panel-latency]"),
        ("/models/fraud-detector?tab=cost", "[data-testid=panel-cost]"),
        ("/registry", "[data-testid=registry-table]"),
        ("/teams", "[data-testid=team-payments-risk]"),
        ("/audit", "[data-testid=audit-table]"),
        ("/ownership", "[data-testid=gaps-table], [data-testid=gaps-empty]"),
        ("/models/fraud-detector/ownership", "[data-testid=owner-current]"),
        ("/models/fraud-detector/versions", "[data-testid=comparison]"),
        ("/no-such-page", "[data-testid=page-not-found]"),
    ];

    [Theory]
    [InlineData("light")]
    [InlineData("dark")]
    public async Task Every_page_has_no_critical_or_serious_axe_finding(string theme)
    {
        var findings = new List<string>();

        var anonymous = await portal.NewPageAsync();
        await SetThemeAsync(anonymous, theme);
        await anonymous.GotoAsync("/signin");
        await anonymous.WaitForSelectorAsync("[data-testid=signin-form]");
        findings.AddRange((await AxeCore.SeriousViolationsAsync(anonymous)).Select(v => $"/signin: {v}"));

        var page = await portal.SignInAsync("admin");
        await SetThemeAsync(page, theme);
        foreach (var (url, ready) in SignedInPages)
        {
            await page.OpenAsync(url, ready);
            findings.AddRange((await AxeCore.SeriousViolationsAsync(page)).Select(v => $"{url}: {v}"));
        }
        // The user menu is a popover that exists only while open.
        await page.OpenAsync("/", "[data-testid=fleet-grid]");
        await page.ClickAsync("[data-testid=who-am-i-button]");
        await page.WaitForSelectorAsync("[data-testid=who-am-i-panel]");
        // Colours are judged once the popover has faded in: mid-fade, every colour is blended with the page.
        await page.WaitForFunctionAsync("() => getComputedStyle(document.querySelector('[data-testid=who-am-i-panel]').closest('.mud-popover')).opacity === '1'");
        findings.AddRange((await AxeCore.SeriousViolationsAsync(page)).Select(v => $"user menu: {v}"));

        Assert.True(findings.Count == 0, $"{findings.Count} critical or serious axe-core {AxeCore.Version} findings in the {theme} theme:\n" + string.Join("\n", findings));
    }

    /// <summary>The theme cookie the dark-mode toggle writes; the server renders the next page in it.</summary>
    private async Task SetThemeAsync(IPage page, string theme) =>
        await page.Context.AddCookiesAsync([new Cookie { Name = "mw-theme", Value = theme, Url = portal.Portal.BaseUrl.ToString() }]);
}
