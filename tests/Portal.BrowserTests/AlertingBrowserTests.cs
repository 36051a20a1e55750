using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;

namespace ModelWatch.Portal.BrowserTests;

/// <summary>
/// Alerting in a real Chromium against the real Portal process with its own database: a rule fires, shows in omar's
/// inbox, is acknowledged there, and a real webhook receiver gets the Alertmanager v4 payload; screenshots of the
/// inbox, silences and the model's Alerts tab as dana and omar at 1440 and 800 px.
/// </summary>
[Collection(AlertingCollection.Name)]
public class AlertingBrowserTests(AlertingPortalFixture portal) : IAsyncLifetime
{
    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => portal.CloseContextsAsync();

    private HttpClient Api()
    {
        var http = new HttpClient { BaseAddress = portal.Portal.BaseUrl, Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Add("X-Api-Key", portal.Portal.AdminApiKey);
        return http;
    }

    [Fact]
    public async Task A_rule_fires_shows_in_omars_inbox_is_acknowledged_there_and_the_webhook_got_the_v4_payload()
    {
        await using var hook = new AlertWebhookListener();
        using var api = Api();
        var settings = await api.PutAsJsonAsync("/api/v1/teams/payments-risk/notifications", new
        {
            receivers = new[] { new { name = "payments-hook", type = "webhook", url = hook.Url } },
            groupBy = new[] { "model", "rule" },
            groupWaitSeconds = 0,
            groupIntervalSeconds = 5,
            repeatIntervalSeconds = 3600,
        });
        Assert.True(settings.IsSuccessStatusCode, await settings.Content.ReadAsStringAsync());
        const string name = "fraud-detector serving traffic (browser test)";
        var created = await api.PostAsJsonAsync("/api/v1/alert-rules", new
        {
            name, model = "fraud-detector", signal = "throughput", metric = "eventsPerSecond", window = "5m",
            condition = new { type = "threshold", op = ">", value = 1 }, severity = "critical",
            annotations = new { summary = "fraud-detector serves {{value}} predictions/s", runbook_url = "https://runbooks.example.com/fraud" },
        });
        Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync());

        var page = await portal.SignInAsync("omar", 1440);
        await page.OpenAsync("/alerts", "[data-testid=inbox-counts]");
        var alert = page.Locator("[data-testid=section-firing] [data-testid^=alert-]", new() { HasText = name }).First;
        await alert.WaitForAsync(new() { Timeout = 60_000 }); // evaluated every 2 s in this portal; the page updates live
        await alert.Locator("[data-testid=alert-ack]").ClickAsync();
        await page.EnterAsync("alert-comment", "omar is on it: checking the traffic source");
        await alert.Locator("[data-testid=alert-confirm]").ClickAsync();

        var acknowledged = page.Locator("[data-testid=section-acknowledged] [data-testid^=alert-]", new() { HasText = name }).First;
        await acknowledged.WaitForAsync(new() { Timeout = 20_000 });
        Assert.Contains("acknowledged by omar", await acknowledged.Locator("[data-testid=alert-acked]").InnerTextAsync());
        var alerts = await api.GetFromJsonAsync<JsonElement>("/api/v1/alerts?model=fraud-detector");
        var stored = alerts.EnumerateArray().Single(a => a.GetProperty("ruleName").GetString() == name);
        Assert.Equal("user:omar", stored.GetProperty("acknowledgedBy").GetString());
        Assert.Equal("omar is on it: checking the traffic source", stored.GetProperty("ackComment").GetString());

        var body = await hook.WaitForAsync(b => b.GetProperty("alerts").EnumerateArray().Any(a => a.GetProperty("labels").GetProperty("alertname").GetString() == name), TimeSpan.FromSeconds(60));
        Assert.Equal("4", body.GetProperty("version").GetString());
        Assert.Equal("firing", body.GetProperty("status").GetString());
        Assert.Equal("payments-hook", body.GetProperty("receiver").GetString());
        foreach (var field in new[] { "groupKey", "truncatedAlerts", "groupLabels", "commonLabels", "commonAnnotations", "externalURL" })
            Assert.True(body.TryGetProperty(field, out _), $"the v4 payload has no '{field}'");
        var sent = body.GetProperty("alerts").EnumerateArray().First(a => a.GetProperty("labels").GetProperty("alertname").GetString() == name);
        var labels = sent.GetProperty("labels");
        Assert.Equal("fraud-detector", labels.GetProperty("model").GetString());
        Assert.Equal("payments-risk", labels.GetProperty("team").GetString());
        Assert.Equal("critical", labels.GetProperty("severity").GetString());
        Assert.Equal("throughput", labels.GetProperty("signal").GetString());
        Assert.Equal("https://runbooks.example.com/fraud", sent.GetProperty("annotations").GetProperty("runbook_url").GetString());
        Assert.StartsWith(portal.Portal.BaseUrl.ToString().TrimEnd('/') + "/models/fraud-detector", sent.GetProperty("generatorURL").GetString());
        Assert.False(string.IsNullOrEmpty(sent.GetProperty("fingerprint").GetString()));

        // The badge on the fleet card says the model has a critical alert firing.
        await page.OpenAsync("/", "[data-testid=fleet-grid]");
        var badge = page.Locator("[data-testid=model-card-fraud-detector] [data-testid=firing-badge]");
        await badge.WaitForAsync(new() { Timeout = 60_000 }); // the fleet page loads every model's summary first: slow on a loaded CI box
        Assert.Equal("critical", await badge.GetAttributeAsync("data-severity"));
    }

    [Theory]
    [InlineData("omar", 1440)]
    [InlineData("omar", 800)]
    [InlineData("dana", 1440)]
    [InlineData("dana", 800)]
    public async Task The_alerting_pages_are_screenshotted_and_fit_the_width(string user, int width)
    {
        var page = await portal.SignInAsync(user, width);
        var scrolling = new List<string>();
        foreach (var (name, url, ready) in new[]
        {
            ("alerts", "/alerts", "[data-testid=inbox-counts]"),
            ("silences", "/silences", "[data-testid=silences-active]"),
            ("alerts-tab", "/models/fraud-detector?tab=alerts", "[data-testid=model-alerts]"),
        })
        {
            await page.OpenAsync(url, ready);
            scrolling.AddRange((await page.SidewaysScrollersAsync()).Select(s => $"{url}: {s}"));
            await portal.ScreenshotAsync(page, $"alerting-{name}-{user}-{width}");
        }
        Assert.Empty(scrolling);
    }
}

/// <summary>The alerting tests' own portal and database, evaluating rules every 2 s so a rule fires within the test.</summary>
public sealed class AlertingPortalFixture : PortalFixture
{
    protected override IReadOnlyDictionary<string, string>? Environment => new Dictionary<string, string>
    {
        ["Portal__Alerting__EvaluationIntervalSeconds"] = "2",
    };

    protected override string LogName => "alerting-portal.log";
}

[CollectionDefinition(Name)]
public sealed class AlertingCollection : ICollectionFixture<AlertingPortalFixture>
{
    public const string Name = "alerting";
}
