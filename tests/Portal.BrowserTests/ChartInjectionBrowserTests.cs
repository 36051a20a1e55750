using System.Net.Http.Json;
using Microsoft.Playwright;

namespace ModelWatch.Portal.BrowserTests;

/// <summary>
/// Issue 10, finding 15, in the browser: a class name that holds a link must reach the Predictions chart as text.
/// Plotly turns &lt;a href&gt; inside labels into a real SVG link, so this checks the drawn SVG, not only the traces.
/// </summary>
[Collection(PortalCollection.Name)]
public class ChartInjectionBrowserTests(PortalFixture portal) : IAsyncLifetime
{
    private const string Phish = "<a href=\"https://evil.example/login\">PHISH</a>";

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => portal.CloseContextsAsync();

    [Fact]
    public async Task A_class_name_holding_a_link_is_drawn_as_text_in_the_predictions_chart()
    {
        var model = "phish-" + Guid.NewGuid().ToString("N")[..8];
        await PostPredictionsAsync(model);
        var page = await portal.SignInAsync("dana");

        await page.GotoAsync($"/models/{model}?tab=predictions");
        await page.WaitForSelectorAsync("[data-testid=panel-predictions] .main-svg");
        // Plotly decodes the escaped label back into the characters typed, as plain SVG text.
        var label = page.Locator("[data-testid=panel-predictions] svg text", new() { HasTextString = "PHISH" }).First;
        await label.WaitForAsync();

        Assert.Contains("<a href=", await label.TextContentAsync() ?? "", StringComparison.Ordinal);
        Assert.Equal(0, await page.Locator("svg a").CountAsync());
        Assert.Equal(0, await page.Locator("a[href*='evil.example']").CountAsync());
        await portal.ScreenshotAsync(page, "chart-injection-dana-1280");
    }

    /// <summary>A multiclass model in dana's team with a reference, whose most frequent class is the link, through the public API.</summary>
    private async Task PostPredictionsAsync(string model)
    {
        using var http = new HttpClient { BaseAddress = portal.Portal.BaseUrl, Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Add("X-Api-Key", portal.Portal.AdminApiKey);
        await Expect201(http.PostAsJsonAsync("/api/v1/models", new
        {
            id = model, name = "Phishing probe", task = "multiclass-classification", team = "payments-risk",
            features = new[] { new { name = "length", type = "numerical" } },
        }));
        await Expect201(http.PostAsJsonAsync($"/api/v1/models/{model}/versions", new { version = "1.0.0" }));
        // The distribution chart compares against a reference, so one with both classes comes first.
        var rows = Enumerable.Range(0, 40).Select(i => new
        {
            features = new Dictionary<string, object> { ["length"] = i },
            prediction = i % 2 == 0 ? "billing" : Phish,
        });
        await Expect201(http.PostAsJsonAsync($"/api/v1/models/{model}/versions/1.0.0/reference", new { rows }));
        var now = DateTimeOffset.UtcNow;
        var events = Enumerable.Range(0, 40).Select(i => new
        {
            id = $"e-{i}", timestamp = now.AddSeconds(-i), version = "1.0.0",
            features = new Dictionary<string, object> { ["length"] = i },
            prediction = i % 4 == 0 ? "billing" : Phish, latencyMs = 5.0,
        });
        var response = await http.PostAsJsonAsync($"/api/v1/models/{model}/predictions", new { events });
        Assert.True(response.StatusCode == System.Net.HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
    }

    private static async Task Expect201(Task<HttpResponseMessage> call)
    {
        var response = await call;
        Assert.True(response.StatusCode == System.Net.HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
    }
}
