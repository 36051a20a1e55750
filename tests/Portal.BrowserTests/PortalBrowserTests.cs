using Microsoft.Playwright;

namespace ModelWatch.Portal.BrowserTests;

/// <summary>
/// The portal in a real Chromium against a real Portal process with demo traffic: who sees what, live numbers,
/// team isolation by URL, and a screenshot of every page at 1280 and 800 px.
/// </summary>
[Collection(PortalCollection.Name)]
public class PortalBrowserTests(PortalFixture portal) : IAsyncLifetime
{
    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => portal.CloseContextsAsync();

    /// <summary>The demo's models; other browser tests add models of their own to the demo teams on the shared portal.</summary>
    private static readonly string[] DemoModels = ["churn-predictor", "demand-forecast", "fraud-detector", "ticket-router"];

    private static async Task<IReadOnlyList<string>> CardOrderAsync(IPage page) =>
        (await page.Locator("[data-testid^=model-card-]").EvaluateAllAsync<string[]>("cards => cards.map(c => c.dataset.testid.substring('model-card-'.length))")).ToList();

    /// <summary>The demo needs a few seconds to put traffic on every card; a reload picks up the new order.</summary>
    private static async Task WaitForTrafficAsync(IPage page, int cards)
    {
        for (var attempt = 0; attempt < 30; attempt++)
        {
            if (await page.Locator("[data-testid^=model-card-][data-has-traffic=true]").CountAsync() >= cards) return;
            await page.WaitForTimeoutAsync(1000);
            await page.ReloadAsync();
            await page.WaitForSelectorAsync("[data-testid=fleet-grid]");
            await PortalFixture.WaitForInteractiveAsync(page);
        }
        throw new TimeoutException("The demo did not put traffic on every card within 30 s.");
    }

    [Fact]
    public async Task Dana_signs_in_and_lands_on_the_data_science_view()
    {
        var page = await portal.SignInAsync("dana");
        await WaitForTrafficAsync(page, 2);

        Assert.Equal("quality", await page.GetAttributeAsync("[data-testid=fleet-view]", "data-view"));
        var order = await CardOrderAsync(page);
        Assert.Equal(["churn-predictor", "fraud-detector"], order.Where(DemoModels.Contains).Order().ToList()); // her two teams' models only
        Assert.Equal("stat-drift", await page.Locator($"[data-testid=model-card-{order[0]}] .stat").First.GetAttributeAsync("data-testid"));
        await portal.ScreenshotAsync(page, "fleet-dana-1280");

        await page.ClickAsync("[data-testid=model-link-fraud-detector]");
        await page.WaitForSelectorAsync("[data-testid=panel-drift]");
        Assert.Equal("drift", await page.GetAttributeAsync("[data-testid=model-tabs]", "data-active-tab"));
        await page.WaitForSelectorAsync("[data-testid=drift-histogram] .main-svg");
        await portal.ScreenshotAsync(page, "model-fraud-detector-drift-dana-1280");
    }

    [Fact]
    public async Task Omar_signs_in_and_lands_on_the_ops_view()
    {
        var page = await portal.SignInAsync("omar");
        await WaitForTrafficAsync(page, 3);

        Assert.Equal("operations", await page.GetAttributeAsync("[data-testid=fleet-view]", "data-view"));
        var order = await CardOrderAsync(page);
        Assert.Equal(["demand-forecast", "fraud-detector", "ticket-router"], order.Where(DemoModels.Contains).Order().ToList());
        Assert.Equal("stat-latency", await page.Locator($"[data-testid=model-card-{order[0]}] .stat").First.GetAttributeAsync("data-testid"));
        await portal.ScreenshotAsync(page, "fleet-omar-1280");

        await page.ClickAsync("[data-testid=model-link-demand-forecast]");
        await page.WaitForSelectorAsync("[data-testid=panel-latency]");
        Assert.Equal("latency", await page.GetAttributeAsync("[data-testid=model-tabs]", "data-active-tab"));
        await page.WaitForSelectorAsync("[data-testid=lat-timeline] .main-svg");
        await portal.ScreenshotAsync(page, "model-demand-forecast-latency-omar-1280");
    }

    [Fact]
    public async Task A_live_number_on_the_model_page_changes_without_a_reload()
    {
        var page = await portal.SignInAsync("admin");
        await page.GotoAsync("/models/fraud-detector?window=5m");
        var predictions = page.Locator("[data-testid=live-predictions] .stat-value");
        await predictions.WaitForAsync();
        // Read the number the interactive circuit shows, not the prerendered one (which is replaced once).
        await PortalFixture.WaitForInteractiveAsync(page);
        await page.EvaluateAsync("() => window.__sameDocument = true");
        var before = await predictions.InnerTextAsync();

        await page.WaitForFunctionAsync(
            "before => document.querySelector('[data-testid=live-predictions] .stat-value')?.innerText !== before",
            before, new PageWaitForFunctionOptions { Timeout = 15_000 });

        Assert.True(await page.EvaluateAsync<bool>("() => window.__sameDocument === true"), "the page was reloaded");
        Assert.NotEqual("0", await page.GetAttributeAsync("[data-testid=live-status]", "data-live-renders"));
        Assert.StartsWith("Live", await page.Locator("[data-testid=live-status]").InnerTextAsync());
    }

    [Fact]
    public async Task A_user_cannot_open_another_teams_model_by_url()
    {
        var page = await portal.SignInAsync("dana");

        await page.GotoAsync("/models/demand-forecast");

        await page.WaitForSelectorAsync("[data-testid=not-allowed]");
        Assert.Contains("not allowed", await page.InnerTextAsync("[data-testid=not-allowed]"));
        Assert.Equal(0, await page.Locator("[data-testid=panel-drift], [data-testid=panel-latency], [data-testid=live-predictions]").CountAsync());
        Assert.Equal(0, await page.Locator("[data-testid=nav-model-demand-forecast]").CountAsync());
        await portal.ScreenshotAsync(page, "model-not-allowed-dana-1280");
    }

    [Fact]
    public async Task The_content_security_policy_blocks_an_injected_inline_script_and_the_tests_notice()
    {
        var page = await portal.NewPageAsync();
        var response = await page.GotoAsync("/signin");
        Assert.Contains("script-src 'self'", await response!.HeaderValueAsync("content-security-policy") ?? "", StringComparison.Ordinal);

        // What an XSS would do: an inline script. The policy must refuse it, and the violation must reach the fixture,
        // which fails every other test that meets one (so Blazor, MudBlazor and Plotly are proven to run without).
        await page.EvaluateAsync("() => { const s = document.createElement('script'); s.textContent = 'window.cspProbe = 1'; document.body.appendChild(s); }");
        var deadline = DateTime.UtcNow.AddSeconds(10);
        IReadOnlyList<string> violations = [];
        while (violations.Count == 0 && DateTime.UtcNow < deadline)
        {
            await page.WaitForTimeoutAsync(100);
            violations = portal.TakeCspViolations();
        }

        Assert.Contains(violations, v => v.Contains("script-src", StringComparison.Ordinal));
        Assert.Null(await page.EvaluateAsync<int?>("() => window.cspProbe ?? null"));
    }

    [Fact]
    public async Task Wrong_password_shows_a_clear_message()
    {
        var page = await portal.NewPageAsync();
        await page.GotoAsync("/signin");
        await portal.ScreenshotAsync(page, "signin-1280");

        await page.FillAsync("input[name=username]", "dana");
        await page.FillAsync("input[name=password]", "not-the-password");
        await page.ClickAsync("[data-testid=signin-submit]");

        await page.WaitForSelectorAsync("[data-testid=signin-error]");
        Assert.Contains("username or password is not right", await page.InnerTextAsync("[data-testid=signin-error]"));
        Assert.Equal("dana", await page.InputValueAsync("input[name=username]"));
        await portal.ScreenshotAsync(page, "signin-error-1280");
    }

    [Fact]
    public async Task Sign_out_from_the_who_am_i_menu_returns_to_sign_in()
    {
        var page = await portal.SignInAsync("omar");

        await page.ClickAsync("[data-testid=who-am-i-button]");
        await page.WaitForSelectorAsync("[data-testid=who-am-i-panel]");
        Assert.Contains("Omar", await page.InnerTextAsync("[data-testid=who-am-i-panel]"));
        Assert.Contains("operations", await page.InnerTextAsync("[data-testid=who-am-i-panel]"));
        await portal.ScreenshotAsync(page, "who-am-i-omar-1280");
        await page.ClickAsync("[data-testid=sign-out-form] button");

        await page.WaitForURLAsync("**/signin**");
        await page.GotoAsync("/");
        await page.WaitForURLAsync("**/signin**");
    }

    [Theory]
    [InlineData(1280)]
    [InlineData(800)]
    public async Task Every_page_is_screenshotted_and_every_panel_draws(int width)
    {
        var page = await portal.SignInAsync("admin", width);
        await WaitForTrafficAsync(page, 4);
        await portal.ScreenshotAsync(page, $"fleet-admin-{width}");

        foreach (var model in new[] { "fraud-detector", "demand-forecast", "ticket-router", "churn-predictor" })
        {
            foreach (var tab in new[] { "drift", "predictions", "performance", "quality", "latency", "cost" })
            {
                // Only a couple of models at 800 px: the layout is what matters there.
                if (width == 800 && model is "ticket-router" or "churn-predictor") continue;
                await page.GotoAsync($"/models/{model}?tab={tab}");
                await page.WaitForSelectorAsync($"[data-testid=panel-{tab}]");
                // Every panel draws a chart, except performance before the first labels arrive (it says so instead).
                await page.WaitForSelectorAsync($"[data-testid=panel-{tab}] .main-svg, [data-testid=panel-{tab}] [data-testid=state-empty]", new() { Timeout = 10_000 });
                var overflow = await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth > window.innerWidth + 1");
                Assert.False(overflow, $"{model} {tab} scrolls sideways at {width} px");
                await portal.ScreenshotAsync(page, $"model-{model}-{tab}-{width}");
            }
        }

        await page.GotoAsync("/models/fraud-detector?tab=latency");
        await page.WaitForSelectorAsync("[data-testid=panel-latency]");
        await PortalFixture.WaitForInteractiveAsync(page);
        await page.ClickAsync("[data-testid=dark-toggle]");
        await portal.ScreenshotAsync(page, $"model-fraud-detector-latency-dark-{width}");
    }

    [Fact]
    public async Task Tab_and_drift_feature_live_in_the_url_and_dark_mode_survives_a_reload()
    {
        var page = await portal.SignInAsync("dana");
        await page.GotoAsync("/models/fraud-detector");
        await page.WaitForSelectorAsync("[data-testid=drift-table] tbody tr");
        await PortalFixture.WaitForInteractiveAsync(page);
        Assert.Contains("active", await page.GetAttributeAsync("[data-testid=nav-model-fraud-detector]", "class")); // the open model is marked in the drawer

        // Pick a feature that is not the default (most drifted) one: the URL names it, and a reload opens on it.
        // Sorted by name first: the default order follows live drift values, and a row that moves between locating
        // it and the mouse-down would turn the click into a click on its neighbour.
        await page.ClickAsync("[data-testid=drift-sort-feature]");
        await page.WaitForSelectorAsync("[data-testid=drift-table] th[aria-sort=ascending]");
        var rows = await page.Locator("[data-testid=drift-table] tbody tr").EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.testid)");
        var feature = rows[^1]!["drift-row-".Length..];
        await page.ClickAsync($"[data-testid=drift-row-{feature}]");
        await page.WaitForURLAsync($"**feature={feature}**");
        await page.ReloadAsync();
        await page.WaitForSelectorAsync($"[data-testid=drift-row-{feature}][aria-selected=true]");
        Assert.Contains($"{feature}: reference vs current", await page.Locator("[data-testid=panel-drift]").InnerTextAsync());

        // Tabs are links: a click swaps the panel without a reload and keeps the feature in the URL.
        await PortalFixture.WaitForInteractiveAsync(page);
        await page.ClickAsync("[data-testid=tab-latency]");
        await page.WaitForSelectorAsync("[data-testid=panel-latency]");
        Assert.Equal("latency", await page.GetAttributeAsync("[data-testid=model-tabs]", "data-active-tab"));
        Assert.Contains($"feature={feature}", page.Url);

        await page.ClickAsync("[data-testid=dark-toggle]");
        await page.WaitForSelectorAsync("[data-testid=dark-toggle][title='Light mode']");
        await page.ReloadAsync();
        await page.WaitForSelectorAsync("[data-testid=panel-latency]");
        Assert.Equal("Light mode", await page.GetAttributeAsync("[data-testid=dark-toggle]", "title"));
        await portal.ScreenshotAsync(page, "model-fraud-detector-latency-dark-after-reload-1280");
    }
}
