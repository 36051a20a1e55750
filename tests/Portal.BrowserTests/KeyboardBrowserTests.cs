using Microsoft.Playwright;

namespace ModelWatch.Portal.BrowserTests;

/// <summary>
/// The portal by keyboard and by preference: a skip link, arrow keys across the model tabs, no chart toolbar in the tab
/// order, a visible focus ring on sort buttons, the view switch remembered across page loads, and the window and
/// version pickers only where they change something.
/// </summary>
[Collection(PortalCollection.Name)]
public class KeyboardBrowserTests(PortalFixture portal) : IAsyncLifetime
{
    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => portal.CloseContextsAsync();

    private static Task<string> ActiveTabAsync(IPage page) => page.GetAttributeAsync("[data-testid=model-tabs]", "data-active-tab")!;

    [Fact]
    public async Task The_skip_link_is_the_first_tab_stop_shows_when_focused_and_moves_focus_to_the_page()
    {
        var page = await portal.SignInAsync("dana");
        await page.OpenAsync("/models/fraud-detector", "[data-testid=model-tabs]");
        var first = await page.EvaluateAsync<string?>("""
            () => [...document.querySelectorAll('a[href], button, input, select, textarea, [tabindex]')]
                .find(e => e.tabIndex >= 0 && !e.disabled && e.getClientRects().length > 0)?.dataset.testid
            """);
        var skip = page.Locator("[data-testid=skip-link]");
        var hidden = await skip.BoundingBoxAsync();

        await page.Keyboard.PressAsync("Shift");
        await skip.FocusAsync();
        var shown = await skip.BoundingBoxAsync();
        await page.Keyboard.PressAsync("Enter");

        Assert.Equal("skip-link", first);
        Assert.True(hidden!.Y + hidden.Height <= 0, $"the skip link shows before it has focus (y {hidden.Y})");
        Assert.True(shown!.Y >= 0, "the focused skip link stays off screen");

        await page.WaitForFunctionAsync("() => document.activeElement?.id === 'main-content'");
    }

    [Fact]
    public async Task Arrow_keys_home_and_end_move_between_the_model_tabs_and_only_the_active_tab_is_a_tab_stop()
    {
        var page = await portal.SignInAsync("dana");
        await page.OpenAsync("/models/fraud-detector?tab=drift", "[data-testid=panel-drift]");
        Assert.Equal(1, await page.Locator("[role=tab][tabindex='0']").CountAsync());

        await page.FocusAsync("[data-testid=tab-drift]");
        await page.Keyboard.PressAsync("ArrowRight");
        await page.WaitForSelectorAsync("[data-testid=panel-predictions]");
        Assert.Equal("predictions", await ActiveTabAsync(page));
        Assert.Equal("tab-predictions", await page.EvaluateAsync<string?>("() => document.activeElement?.dataset.testid"));

        // The last tab is Alerts (the model's rules), after Cost.
        await page.Keyboard.PressAsync("End");
        await page.WaitForSelectorAsync("[data-testid=model-alerts]");
        await page.WaitForFunctionAsync("() => document.activeElement?.dataset.testid === 'tab-alerts'", null, new() { Timeout = 5_000 });
        await page.Keyboard.PressAsync("ArrowRight"); // wraps around
        await page.WaitForSelectorAsync("[data-testid=panel-drift]");
        await page.Keyboard.PressAsync("ArrowLeft");
        await page.WaitForSelectorAsync("[data-testid=model-alerts]");
        await page.Keyboard.PressAsync("ArrowLeft");
        await page.WaitForSelectorAsync("[data-testid=panel-cost]");
        Assert.Equal("cost", await ActiveTabAsync(page));
        Assert.Contains("tab=cost", page.Url);
    }

    [Fact]
    public async Task At_800_px_every_tab_is_on_screen_and_the_chart_toolbars_are_not_in_the_tab_order()
    {
        var page = await portal.SignInAsync("omar", 800);
        await page.OpenAsync("/models/fraud-detector?tab=latency", "[data-testid=lat-timeline] .main-svg");

        var strip = await page.Locator("[data-testid=model-tabs]").BoundingBoxAsync();
        foreach (var tab in new[] { "drift", "cost", "alerts" })
        {
            var box = await page.Locator($"[data-testid=tab-{tab}]").BoundingBoxAsync();
            Assert.True(box!.X >= strip!.X - 1 && box.X + box.Width <= strip.X + strip.Width + 1, $"tab {tab} is cut: {box.X}+{box.Width} outside {strip.X}+{strip.Width}");
        }
        var focusableInCharts = await page.EvaluateAsync<int>("""
            () => [...document.querySelectorAll('.js-plotly-plot a[href], .js-plotly-plot button, .js-plotly-plot input, .js-plotly-plot [tabindex]')]
                .filter(e => e.tabIndex >= 0).length
            """);
        Assert.Equal(0, focusableInCharts);
    }

    [Fact]
    public async Task A_sort_button_reached_by_keyboard_shows_a_focus_ring()
    {
        var page = await portal.SignInAsync("dana");
        await page.OpenAsync("/models/fraud-detector?tab=drift", "[data-testid=drift-table]");
        var sort = page.Locator("[data-testid=drift-table] button.sort").First;
        var before = await sort.EvaluateAsync<string>("e => getComputedStyle(e).outlineStyle");

        await page.Keyboard.PressAsync("Shift"); // the last input was a key: programmatic focus then counts as keyboard focus
        await sort.FocusAsync();

        Assert.Equal("none", before);
        Assert.Equal("solid", await sort.EvaluateAsync<string>("e => getComputedStyle(e).outlineStyle"));
    }

    [Fact]
    public async Task An_ops_engineer_switches_to_the_quality_view_and_it_is_remembered_on_the_next_page_load()
    {
        var page = await portal.SignInAsync("omar");
        Assert.Equal("operations", await page.GetAttributeAsync("[data-testid=fleet-view]", "data-view"));

        await page.ClickAsync("[data-testid=who-am-i-button]");
        await page.CheckAsync("[data-testid=view-quality]");
        await page.WaitForSelectorAsync("[data-testid=fleet-view][data-view=quality]");
        Assert.Contains("mw-view=quality", await page.EvaluateAsync<string>("() => document.cookie"));
        await page.ReloadAsync();
        await page.WaitForSelectorAsync("[data-testid=fleet-grid]");
        await PortalFixture.WaitForInteractiveAsync(page);

        Assert.Equal("quality", await page.GetAttributeAsync("[data-testid=fleet-view]", "data-view"));
        await page.OpenAsync("/models/fraud-detector", "[data-testid=model-tabs]");
        Assert.Equal("drift", await ActiveTabAsync(page)); // not omar's latency default
    }

    [Fact]
    public async Task Window_and_version_pickers_show_only_on_the_fleet_and_the_model_page()
    {
        var page = await portal.SignInAsync("admin");
        Assert.Equal(1, await page.Locator("[data-testid=window-selector]").CountAsync());

        await page.OpenAsync("/models/fraud-detector", "[data-testid=model-tabs]");
        Assert.Equal(1, await page.Locator("[data-testid=version-filter]").CountAsync());

        foreach (var (url, ready) in new[] { ("/registry", "[data-testid=registry-table]"), ("/teams", "[data-testid=team-payments-risk]"), ("/audit", "[data-testid=audit-table]"), ("/models/fraud-detector/versions", "[data-testid=comparison]") })
        {
            await page.OpenAsync(url, ready);
            Assert.Equal(0, await page.Locator("[data-testid=window-selector], [data-testid=version-filter]").CountAsync());
        }
    }
}
