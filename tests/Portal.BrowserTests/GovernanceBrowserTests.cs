using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace ModelWatch.Portal.BrowserTests;

/// <summary>
/// The governance pages (teams, ownership, gaps, registry, versions, audit) in a real Chromium against the real Portal
/// process with the demo seeded: real data on every page, the four-eyes alias flow between two people, read-only
/// auditors, team isolation by URL, audit filters in the URL, exports, and screenshots at 1280 and 800 px.
/// These tests share a portal of their own (not the monitoring tests'), and each changes a model no other governance
/// test asserts on (fraud-detector ownership, demand-forecast and ticket-router aliases).
/// </summary>
[Collection(GovernanceCollection.Name)]
public class GovernanceBrowserTests(GovernancePortalFixture portal) : IAsyncLifetime
{
    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => portal.CloseContextsAsync();

    /// <summary>Each governance page, and what it shows once its data is on screen.</summary>
    private static readonly (string Name, string Url, string Ready)[] Pages =
    [
        ("teams", "/teams", "[data-testid=team-payments-risk]"),
        ("ownership-fraud-detector", "/models/fraud-detector/ownership", "[data-testid=owner-current]"),
        ("ownership-gaps", "/ownership", "[data-testid=gaps-table], [data-testid=gaps-empty]"),
        ("registry", "/registry", "[data-testid=registry-table]"),
        ("versions-fraud-detector", "/models/fraud-detector/versions", "[data-testid=comparison]"),
        ("audit", "/audit", "[data-testid=audit-table]"),
    ];

    [Theory]
    [InlineData(1280)]
    [InlineData(800)]
    public async Task Every_governance_page_is_screenshotted_and_fits_the_width(int width)
    {
        var page = await portal.SignInAsync("admin", width);
        var scrolling = new List<string>();
        foreach (var (name, url, ready) in Pages)
        {
            await page.OpenAsync(url, ready);
            if (url == "/audit") await WaitForValidChainAsync(page);
            scrolling.AddRange((await page.SidewaysScrollersAsync()).Select(s => $"{url}: {s}"));
            await portal.ScreenshotAsync(page, $"gov-{name}-{width}");
        }
        // Collected, so one page that scrolls does not hide the screenshots of the others.
        Assert.Empty(scrolling);
    }

    [Fact]
    public async Task The_audit_table_fits_800_px_with_a_long_reason_and_an_open_detail()
    {
        const string reason = "Escalations for ticket routing go to the operations duty manager from now on, as agreed in the incident review of the misrouted billing tickets";
        var page = await portal.SignInAsync("admin", 800);
        await page.OpenAsync("/models/ticket-router/ownership", "[data-testid=reassign-button]");
        await page.EnterAsync("reassign-escalation", "ops-duty-manager@example.com");
        await page.EnterAsync("reassign-reason", reason);
        await page.ClickAsync("[data-testid=reassign-button]");
        await page.WaitForSelectorAsync("[data-testid=action-done]");

        await page.OpenAsync("/audit?model=ticket-router&action=model.owner-changed", "[data-testid=audit-table]");
        var sequence = (await page.GetAttributeAsync("[data-testid^=entry-]", "data-testid"))!["entry-".Length..];
        await page.ClickAsync($"[data-testid=toggle-{sequence}]");
        var hashes = page.Locator($"[data-testid=hashes-{sequence}] span").First;
        await hashes.WaitForAsync();

        // The hash is cut short on screen and whole in the tooltip.
        var full = await hashes.GetAttributeAsync("title");
        Assert.Equal(64, full!.Length);
        Assert.Equal(full[..12] + "…", await hashes.InnerTextAsync());
        Assert.Contains("incident review", await page.InnerTextAsync("[data-testid=audit-table]"));
        await portal.ScreenshotAsync(page, "gov-audit-detail-800");
        Assert.Empty(await page.SidewaysScrollersAsync());
    }

    [Fact]
    public async Task Teams_page_lists_the_demo_teams_with_their_members_and_leads()
    {
        var page = await portal.SignInAsync("admin");
        await page.OpenAsync("/teams", "[data-testid=team-payments-risk]");

        Assert.Equal(1, await page.Locator("[data-testid=create-team]").CountAsync());
        foreach (var team in new[] { "payments-risk", "growth-analytics", "operations" })
            Assert.Equal(1, await page.Locator($"[data-testid=team-{team}]").CountAsync());
        Assert.Contains("Dana Whitfield", await page.InnerTextAsync("[data-testid=member-payments-risk-dana]"));
        Assert.Contains("Omar Haddad", await page.InnerTextAsync("[data-testid=member-payments-risk-omar]"));
        Assert.Contains("lead", await page.InnerTextAsync("[data-testid=member-growth-analytics-dana]"));
        Assert.Contains("lead", await page.InnerTextAsync("[data-testid=member-operations-omar]"));
    }

    [Fact]
    public async Task Admin_sets_on_call_for_a_model_and_it_shows_in_its_history_and_leaves_the_gaps()
    {
        var page = await portal.SignInAsync("admin");
        await page.OpenAsync("/ownership", "[data-testid=gaps-table]");
        // The demo registers owner teams but no on-call contacts, so every model starts as a gap.
        Assert.Equal(1, await page.Locator("[data-testid=gap-ticket-router]").CountAsync());

        await page.OpenAsync("/models/fraud-detector/ownership", "[data-testid=reassign-button]");
        Assert.Contains("payments-risk", await page.InnerTextAsync("[data-testid=owner-team]"));
        await page.EnterAsync("reassign-oncall", "pager:fraud-oncall");
        await page.EnterAsync("reassign-escalation", "omar");
        await page.EnterAsync("reassign-reason", "Fraud rota starts this week");
        await page.ClickAsync("[data-testid=reassign-button]");

        await page.WaitForSelectorAsync("[data-testid=action-done]");
        Assert.Contains("pager:fraud-oncall", await page.InnerTextAsync("[data-testid=owner-oncall]"));
        var history = page.Locator("[data-testid=owner-history] tbody tr", new() { HasText = "Fraud rota starts this week" });
        await history.WaitForAsync();
        Assert.Contains("admin", await history.InnerTextAsync());
        await portal.ScreenshotAsync(page, "gov-ownership-fraud-detector-after-change-1280");

        await page.OpenAsync("/ownership", "[data-testid=gaps-table]");
        Assert.Equal(0, await page.Locator("[data-testid=gap-fraud-detector]").CountAsync());
        Assert.Equal(1, await page.Locator("[data-testid=gap-ticket-router]").CountAsync());
    }

    [Fact]
    public async Task Registry_lists_every_model_and_versions_page_compares_two_versions()
    {
        var page = await portal.SignInAsync("admin");
        await page.OpenAsync("/registry", "[data-testid=registry-table]");
        foreach (var model in new[] { "fraud-detector", "churn-predictor", "demand-forecast", "ticket-router" })
            Assert.Equal(1, await page.Locator($"[data-testid=registry-{model}]").CountAsync());

        await page.ClickAsync("[data-testid=registry-fraud-detector] a");
        await page.WaitForURLAsync("**/models/fraud-detector/versions**");
        await page.WaitForSelectorAsync("[data-testid=comparison]");
        Assert.Equal(1, await page.Locator("[data-testid='version-1.0.0']").CountAsync());
        Assert.Equal(1, await page.Locator("[data-testid='version-1.1.0']").CountAsync());

        // The two newest versions side by side; the algorithm changed between them.
        var algorithm = page.Locator("[data-testid=hp-algorithm]");
        Assert.Equal("changed", await algorithm.GetAttributeAsync("data-kind"));
        Assert.Contains("logistic-regression", await algorithm.InnerTextAsync());
        Assert.Contains("gradient-boosting", await algorithm.InnerTextAsync());
        Assert.Contains("0.88", await page.InnerTextAsync("[data-testid=compare-offline]"));
        Assert.Contains("0.9", await page.InnerTextAsync("[data-testid=compare-offline]"));
    }

    [Fact]
    public async Task Production_moves_only_after_a_second_person_approves_and_the_audit_log_shows_each_step()
    {
        const string reason = "LightGBM beats Prophet offline; promote 1.1.0";
        var omar = await portal.SignInAsync("omar");
        await omar.OpenAsync("/models/demand-forecast/versions", "[data-testid=request-form]");
        Assert.DoesNotContain("production", await omar.InnerTextAsync("[data-testid='version-1.1.0']"));

        // Alias and version default to production and the newest version.
        await omar.EnterAsync("request-reason", reason);
        await omar.ClickAsync("[data-testid=request-button]");
        await omar.WaitForSelectorAsync("[data-testid=action-done]");
        var request = omar.Locator(".requests > [data-testid^=request-]", new() { HasText = reason });
        await request.WaitForAsync();
        var id = (await request.GetAttributeAsync("data-testid"))!["request-".Length..];

        // Omar leads the owner team, but a requester is never offered Approve on his own request (four-eyes);
        // the engine refuses it as well (GovernanceApiTests).
        Assert.Equal(0, await omar.Locator($"[data-testid=approve-{id}]").CountAsync());
        Assert.Contains("four-eyes", await omar.InnerTextAsync($"[data-testid=own-request-{id}]"));
        Assert.DoesNotContain("production", await omar.InnerTextAsync("[data-testid='version-1.1.0']"));
        Assert.Equal(1, await omar.Locator($"[data-testid=request-{id}]").CountAsync());
        await portal.ScreenshotAsync(omar, "gov-versions-demand-forecast-own-request-omar-1280");

        var admin = await portal.SignInAsync("admin");
        await admin.OpenAsync("/models/demand-forecast/versions", $"[data-testid=request-{id}]");
        Assert.Contains(reason, await admin.InnerTextAsync($"[data-testid=request-{id}]"));
        await admin.EnterAsync($"decision-reason-{id}", "Backtest reviewed");
        await admin.ClickAsync($"[data-testid=approve-{id}]");
        await admin.WaitForSelectorAsync("[data-testid=action-done]");
        await admin.WaitForSelectorAsync("[data-testid=decided-table]");
        Assert.Contains("production", await admin.InnerTextAsync("[data-testid='version-1.1.0']"));
        Assert.Equal(0, await admin.Locator($"[data-testid=request-{id}]").CountAsync());
        var decided = await admin.InnerTextAsync("[data-testid=decided-table]");
        Assert.Contains("approved", decided, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("Backtest reviewed", decided);
        await portal.ScreenshotAsync(admin, "gov-versions-demand-forecast-approved-admin-1280");

        // The requester sees the result too.
        await omar.OpenAsync("/models/demand-forecast/versions", "[data-testid=decided-table]");
        Assert.Contains("production", await omar.InnerTextAsync("[data-testid='version-1.1.0']"));

        await admin.OpenAsync("/audit?model=demand-forecast", "[data-testid=audit-table]");
        await WaitForValidChainAsync(admin);
        var actions = await admin.ColumnAsync("audit-table", "Action");
        var actors = await admin.ColumnAsync("audit-table", "Actor");
        var rows = actions.Zip(actors).ToList();
        Assert.Contains(("alias.requested", "user:omar"), rows);
        Assert.Contains(("alias.approved", "user:admin"), rows);
        await portal.ScreenshotAsync(admin, "gov-audit-demand-forecast-1280");
    }

    [Fact]
    public async Task An_admin_rejects_a_production_request_with_a_reason_and_nothing_moves()
    {
        const string reason = "Promote the DeBERTa router";
        var omar = await portal.SignInAsync("omar");
        await omar.OpenAsync("/models/ticket-router/versions", "[data-testid=request-form]");
        await omar.EnterAsync("request-reason", reason);
        await omar.ClickAsync("[data-testid=request-button]");
        var request = omar.Locator(".requests > [data-testid^=request-]", new() { HasText = reason });
        await request.WaitForAsync();
        var id = (await request.GetAttributeAsync("data-testid"))!["request-".Length..];

        var admin = await portal.SignInAsync("admin");
        await admin.OpenAsync("/models/ticket-router/versions", $"[data-testid=request-{id}]");
        await admin.EnterAsync($"decision-reason-{id}", "Not during the change freeze");
        await admin.ClickAsync($"[data-testid=reject-{id}]");
        await admin.WaitForSelectorAsync("[data-testid=decided-table]");

        var decided = await admin.InnerTextAsync("[data-testid=decided-table]");
        Assert.Contains("rejected", decided, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("Not during the change freeze", decided);
        Assert.DoesNotContain("production", await admin.InnerTextAsync("[data-testid='version-1.1.0']"));

        await admin.OpenAsync("/audit?model=ticket-router&action=alias.rejected", "[data-testid=audit-table]");
        var actors = await admin.ColumnAsync("audit-table", "Actor");
        Assert.Equal(["user:admin"], actors);
    }

    [Fact]
    public async Task The_auditor_reads_every_governance_page_without_any_change_control()
    {
        var page = await portal.SignInAsync("alice");

        await page.OpenAsync("/teams", "[data-testid=team-operations]");
        Assert.Equal(0, await page.Locator("[data-testid=create-team], [data-testid^=remove-], [data-testid^=add-member-]").CountAsync());

        await page.OpenAsync("/models/fraud-detector/ownership", "[data-testid=owner-current]");
        Assert.Contains("auditors read everything and change nothing", await page.InnerTextAsync("[data-testid=reassign-not-allowed]"));
        Assert.Equal(0, await page.Locator("[data-testid=reassign-button], [data-testid=reassign-reason]").CountAsync());

        await page.OpenAsync("/models/fraud-detector/versions", "[data-testid=versions-table]");
        Assert.Equal(0, await page.Locator("[data-testid=request-form], [data-testid^=approve-], [data-testid^=reject-]").CountAsync());

        await page.OpenAsync("/registry", "[data-testid=registry-table]");
        Assert.Equal(4, await page.Locator("[data-testid^=registry-][data-label=Model]").CountAsync());

        await page.OpenAsync("/audit", "[data-testid=audit-table]");
        await WaitForValidChainAsync(page);
        await portal.ScreenshotAsync(page, "gov-audit-alice-1280");
    }

    [Fact]
    public async Task A_user_of_another_team_is_refused_a_models_governance_pages_by_url()
    {
        var page = await portal.SignInAsync("dana");

        foreach (var url in new[] { "/models/demand-forecast/ownership", "/models/demand-forecast/versions" })
        {
            await page.OpenAsync(url, "[data-testid=not-allowed]");
            Assert.Contains("operations", await page.InnerTextAsync("[data-testid=not-allowed]"));
            Assert.Equal(0, await page.Locator("[data-testid=owner-current], [data-testid=versions-table], [data-testid=request-form]").CountAsync());
        }
        await portal.ScreenshotAsync(page, "gov-versions-not-allowed-dana-1280");

        await page.OpenAsync("/registry", "[data-testid=registry-table]");
        Assert.Equal(1, await page.Locator("[data-testid=registry-fraud-detector]").CountAsync());
        Assert.Equal(0, await page.Locator("[data-testid=registry-demand-forecast]").CountAsync());

        await page.OpenAsync("/audit", "[data-testid=not-allowed]");
        Assert.Equal(0, await page.Locator("[data-testid=audit-table], [data-testid=export-csv]").CountAsync());
    }

    [Fact]
    public async Task Audit_filters_are_kept_in_the_url_and_survive_a_reload()
    {
        var page = await portal.SignInAsync("admin");
        await page.OpenAsync("/audit", "[data-testid=audit-table]");

        await page.EnterAsync("filter-actor", "user:admin");
        await page.ClickAsync("[data-testid=filter-apply]");
        await page.WaitForURLAsync(new Regex("actor=user(%3A|:)admin"));
        await page.WaitForFunctionAsync("() => [...document.querySelectorAll('[data-testid=audit-table] tbody td[data-label=Actor]')].every(td => td.innerText.trim() === 'user:admin')");

        await page.ReloadAsync();
        await page.WaitForSelectorAsync("[data-testid=audit-table]");
        await PortalFixture.WaitForInteractiveAsync(page);
        Assert.Equal("user:admin", await page.Field("filter-actor").InputValueAsync());
        var actors = await page.ColumnAsync("audit-table", "Actor");
        Assert.NotEmpty(actors); // admin's own sign-in is always there
        Assert.All(actors, a => Assert.Equal("user:admin", a));
        Assert.False(await page.Locator("[data-testid=filter-clear]").IsDisabledAsync());
    }

    [Fact]
    public async Task The_export_buttons_download_the_filtered_log_as_csv_and_jsonl()
    {
        var page = await portal.SignInAsync("admin");
        await page.OpenAsync("/audit?actor=user:admin", "[data-testid=audit-table]");

        var download = await page.RunAndWaitForDownloadAsync(() => page.ClickAsync("[data-testid=export-csv]"));
        Assert.Matches(@"^audit-\d+\.csv$", download.SuggestedFilename);
        var csv = (await File.ReadAllLinesAsync((await download.PathAsync())!)).Where(l => l.Length > 0).ToList();
        Assert.True(csv.Count >= 2, "a header and at least admin's sign-in");
        Assert.Contains("actor", csv[0]);
        Assert.All(csv.Skip(1), line => Assert.Contains("user:admin", line));

        // The JSONL button's link, fetched with the browser's cookies, to read the headers a download hides.
        var href = await page.GetAttributeAsync("[data-testid=export-jsonl]", "href");
        Assert.Contains("format=jsonl", href);
        var response = await page.Context.APIRequest.GetAsync(href!);
        Assert.Equal(200, response.Status);
        Assert.Contains("attachment", response.Headers["content-disposition"]);
        Assert.StartsWith("application/jsonl", response.Headers["content-type"]);
        Assert.True(int.Parse(response.Headers["x-audit-entries"]) >= 1);
        var lines = (await response.TextAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(int.Parse(response.Headers["x-audit-entries"]), lines.Length);
        Assert.All(lines, line => Assert.Equal("user:admin", JsonDocument.Parse(line).RootElement.GetProperty("actor").GetString()));
    }

    /// <summary>The chain walk starts once the page is interactive and runs off the render thread.</summary>
    private static async Task WaitForValidChainAsync(IPage page)
    {
        await page.WaitForSelectorAsync("[data-testid=verification]:not([data-state=checking])", new() { Timeout = 30_000 });
        Assert.Equal("valid", await page.GetAttributeAsync("[data-testid=verification]", "data-state"));
        Assert.Contains("Chain intact", await page.InnerTextAsync("[data-testid=verification]"));
    }
}
