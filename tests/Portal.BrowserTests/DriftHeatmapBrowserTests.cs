using System.Net.Http.Json;
using Microsoft.Playwright;

namespace ModelWatch.Portal.BrowserTests;

/// <summary>Issue 12 item 8 in the browser: the features × time heatmap draws, and a click on a cell opens that feature.</summary>
[Collection(PortalCollection.Name)]
public class DriftHeatmapBrowserTests(PortalFixture portal) : IAsyncLifetime
{
    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => portal.CloseContextsAsync();

    [Fact]
    public async Task Clicking_a_heatmap_cell_opens_that_feature_with_the_step_marked_on_its_history()
    {
        var model = "heat-" + Guid.NewGuid().ToString("N")[..8];
        await PostTrafficAsync(model);
        var page = await portal.SignInAsync("dana");

        await page.GotoAsync($"/models/{model}?tab=drift");
        var heatmap = page.Locator("[data-testid=drift-heatmap]");
        await page.WaitForSelectorAsync("[data-testid=drift-heatmap] .nsewdrag");
        var labels = await heatmap.Locator(".yaxislayer-above .ytick text").AllTextContentsAsync();
        Assert.Equal(["shifted", "steady"], labels.Order()); // one row per feature
        await heatmap.ScrollIntoViewIfNeededAsync();
        var box = (await heatmap.Locator(".nsewdrag").BoundingBoxAsync())!;
        var shifted = (await heatmap.Locator(".yaxislayer-above .ytick text", new() { HasTextString = "shifted" }).BoundingBoxAsync())!;
        var steady = (await heatmap.Locator(".yaxislayer-above .ytick text", new() { HasTextString = "steady" }).BoundingBoxAsync())!;
        Assert.True(shifted.Y < steady.Y, "the drifted feature leads, as in the drift table");

        // Plotly reports a click once it has hovered the cell: the middle step of the "steady" row.
        var (x, y) = (box.X + box.Width * 0.5f, steady.Y + steady.Height / 2);
        await page.Mouse.MoveAsync(x - 4, y - 4);
        await page.Mouse.MoveAsync(x, y, new() { Steps = 3 });
        await page.Locator(".hoverlayer .hovertext").WaitForAsync();
        await page.Mouse.ClickAsync(x, y);

        await page.WaitForURLAsync(url => url.Contains("feature=steady", StringComparison.Ordinal));
        await page.Locator("[data-testid=drift-feature-timeline] text", new() { HasTextString = "selected step" }).WaitForAsync();
        await portal.ScreenshotAsync(page, "drift-heatmap-dana-1280");
    }

    /// <summary>A model in dana's team whose "shifted" feature moves away from the reference while "steady" stays, over three past minutes.</summary>
    private async Task PostTrafficAsync(string model)
    {
        using var http = new HttpClient { BaseAddress = portal.Portal.BaseUrl, Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Add("X-Api-Key", portal.Portal.AdminApiKey);
        await Expect(System.Net.HttpStatusCode.Created, http.PostAsJsonAsync("/api/v1/models", new
        {
            id = model, name = "Heatmap probe", task = "regression", team = "payments-risk",
            features = new[] { new { name = "shifted", type = "numerical" }, new { name = "steady", type = "numerical" } },
        }));
        await Expect(System.Net.HttpStatusCode.Created, http.PostAsJsonAsync($"/api/v1/models/{model}/versions", new { version = "1.0.0" }));
        var random = new Random(3);
        var rows = Enumerable.Range(0, 200).Select(_ => new
        {
            features = new Dictionary<string, object> { ["shifted"] = random.NextDouble() * 10, ["steady"] = random.NextDouble() * 10 },
            prediction = random.NextDouble(),
        });
        await Expect(System.Net.HttpStatusCode.Created, http.PostAsJsonAsync($"/api/v1/models/{model}/versions/1.0.0/reference", new { rows }));
        var minute = DateTimeOffset.UtcNow.AddMinutes(-4);
        minute = new DateTimeOffset(minute.Year, minute.Month, minute.Day, minute.Hour, minute.Minute, 0, TimeSpan.Zero);
        var events = Enumerable.Range(0, 300).Select(i => new
        {
            id = $"e-{i}", timestamp = minute.AddMinutes(i / 100).AddSeconds(i % 100 / 2), version = "1.0.0",
            features = new Dictionary<string, object> { ["shifted"] = random.NextDouble() * 10 + i / 100 * 5, ["steady"] = random.NextDouble() * 10 },
            prediction = random.NextDouble(), latencyMs = 5.0,
        });
        await Expect(System.Net.HttpStatusCode.Accepted, http.PostAsJsonAsync($"/api/v1/models/{model}/predictions", new { events }));
    }

    private static async Task Expect(System.Net.HttpStatusCode status, Task<HttpResponseMessage> call)
    {
        var response = await call;
        Assert.True(response.StatusCode == status, await response.Content.ReadAsStringAsync());
    }
}
