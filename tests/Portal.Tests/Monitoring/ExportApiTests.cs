using System.Globalization;
using System.Net;
using ModelWatch.Portal.Tests.TestSupport;
using static ModelWatch.Portal.Tests.TestSupport.PortalApi;

namespace ModelWatch.Portal.Tests.Monitoring;

/// <summary>Issue 12 item 12, "export what you see": the page's figures as CSV and as a self-contained HTML report.</summary>
public sealed class ExportApiTests(PortalFactory portal) : IClassFixture<PortalFactory>
{
    /// <summary>A regression model in a team of its own, with a hostile name and feature, a reference, and traffic two minutes ago.</summary>
    private async Task<(PortalApi Api, string Model)> ModelWithTrafficAsync()
    {
        using var admin = portal.Admin();
        var team = Scenario.NewId("team");
        var model = Scenario.NewId("model");
        await admin.CreateTeamAsync(team);
        var (_, key) = await admin.CreateKeyAsync(team);
        await Expect(HttpStatusCode.Created, await admin.PostAsync("/api/v1/models", $$"""
            { "id": "{{model}}", "name": "<script>alert(1)</script> pricing", "task": "regression", "team": "{{team}}",
              "features": [ { "name": "amount", "type": "numerical" }, { "name": "=HYPERLINK(\"http://evil.example\")", "type": "numerical" } ] }
            """));
        await Expect(HttpStatusCode.Created, await admin.PostAsync($"/api/v1/models/{model}/versions", """{ "version": "1.0.0" }"""));
        var random = new Random(5);
        var rows = string.Join(", ", Enumerable.Range(0, 100).Select(_ => Inv($$"""{ "features": { "amount": {{random.NextDouble() * 100}}, "=HYPERLINK(\"http://evil.example\")": {{random.NextDouble()}} }, "prediction": {{random.NextDouble() - 0.5}} }""")));
        await Expect(HttpStatusCode.Created, await admin.PostAsync($"/api/v1/models/{model}/versions/1.0.0/reference", $$"""{ "rows": [ {{rows}} ] }"""));
        var at = DateTimeOffset.UtcNow.AddMinutes(-2).ToString("O", CultureInfo.InvariantCulture);
        var events = string.Join(", ", Enumerable.Range(0, 60).Select(i => Inv($$"""{ "id": "e{{i}}", "timestamp": "{{at}}", "version": "1.0.0", "features": { "amount": {{random.NextDouble() * 100 + 80}}, "=HYPERLINK(\"http://evil.example\")": {{random.NextDouble()}} }, "prediction": -3.5, "latencyMs": 12 }""")));
        await Expect(HttpStatusCode.Accepted, await admin.PostAsync($"/api/v1/models/{model}/predictions", $$"""{ "events": [ {{events}} ] }"""));
        // The window's summary holds the batch once the writer has folded it in: wait for that, with a deadline.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while ((await Expect(HttpStatusCode.OK, await admin.GetAsync($"/api/v1/models/{model}/summary?window=1h"))).GetProperty("traffic").GetProperty("predictions").GetInt64() < 60)
        {
            Assert.True(DateTime.UtcNow < deadline, "the batch never reached the 1h summary");
            await Task.Delay(100);
        }
        return (portal.WithKey(key), model);
    }

    private static string Inv(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private static async Task<(HttpResponseMessage Response, string Body)> GetAsync(PortalApi api, string path)
    {
        var response = await api.GetAsync(path);
        return (response, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task The_drift_table_downloads_as_CSV_with_formula_cells_escaped()
    {
        var (api, model) = await ModelWithTrafficAsync();
        using var _ = api;

        var (response, body) = await GetAsync(api, $"/api/v1/models/{model}/drift.csv?window=1h");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition?.DispositionType ?? response.Headers.GetValues("Content-Disposition").Single().Split(';')[0]);
        var lines = body.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("feature,type,method,value,threshold,drifted,", lines[0], StringComparison.Ordinal);
        Assert.Equal(4, lines.Length); // header, two features, the prediction
        Assert.Contains(lines, l => l.StartsWith("amount,numerical,", StringComparison.Ordinal) && l.Contains(",true,", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("\"'=HYPERLINK(", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.StartsWith("=", StringComparison.Ordinal) || l.StartsWith("\"=", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("(prediction),", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_timeline_downloads_as_CSV_with_empty_cells_for_no_data_and_negative_numbers_kept()
    {
        var (api, model) = await ModelWithTrafficAsync();
        using var _ = api;

        var (response, body) = await GetAsync(api, $"/api/v1/models/{model}/timeline.csv?window=1h");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var lines = body.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        var header = lines[0].Split(',');
        Assert.Equal(["time", "partial", "predictions"], header[..3]);
        Assert.Equal("drift:amount", header[18]);
        Assert.InRange(lines.Length - 1, 2, 4); // steps from the traffic's minute to now, none from before the history began
        var first = lines[1].Split(',');
        Assert.Equal("60", first[2]);
        Assert.Equal("-3.5", first[Array.IndexOf(header, "predictionMean")]);
        var quiet = lines[^1].Split(',');
        Assert.Equal("0", quiet[2]); // a later step without events: no predictions, and no latency drawn as 0 ms
        Assert.Equal("", quiet[Array.IndexOf(header, "p95Ms")]);
    }

    [Fact]
    public async Task The_report_is_one_self_contained_HTML_file_with_its_charts_and_every_name_encoded()
    {
        var (api, model) = await ModelWithTrafficAsync();
        using var _ = api;

        var (response, body) = await GetAsync(api, $"/api/v1/models/{model}/report.html?window=1h");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.StartsWith("<!DOCTYPE html>", body, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt; pricing", body, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", body, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("src=", body, StringComparison.Ordinal); // nothing loaded from elsewhere
        Assert.Equal(5, body.Split("<svg").Length - 1);
        Assert.Contains("<polyline", body, StringComparison.Ordinal);
        Assert.Contains("=HYPERLINK(&quot;http://evil.example&quot;)", body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("drift.csv")]
    [InlineData("timeline.csv")]
    [InlineData("report.html")]
    public async Task Another_teams_key_gets_404_and_a_bad_window_a_problem_naming_it(string file)
    {
        var (api, model) = await ModelWithTrafficAsync();
        using var _ = api;
        var other = await Scenario.CreateAsync(portal);
        using var stranger = portal.WithKey(other.Key);

        await ExpectProblem(HttpStatusCode.NotFound, await stranger.GetAsync($"/api/v1/models/{model}/{file}"));
        var problem = await ExpectProblem(HttpStatusCode.BadRequest, await api.GetAsync($"/api/v1/models/{model}/{file}?window=2y"));
        Assert.Contains("window", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }
}
