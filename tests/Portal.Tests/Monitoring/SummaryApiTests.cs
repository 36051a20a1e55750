using System.Net;
using ModelWatch.Portal.Tests.TestSupport;

namespace ModelWatch.Portal.Tests.Monitoring;

public sealed class SummaryApiTests(PortalFactory portal) : IClassFixture<PortalFactory>
{
    [Fact]
    public async Task Summary_shows_what_the_model_received_in_the_window()
    {
        var scenario = await Scenario.CreateAsync(portal);
        using var api = portal.WithKey(scenario.Key);
        var now = DateTimeOffset.UtcNow.ToString("O");
        await PortalApi.Expect(HttpStatusCode.Accepted, await api.PostAsync(scenario.Predictions,
            PortalApi.Batch(PortalApi.Prediction("a", "0.9", timestamp: now), PortalApi.Prediction("b", "0.1", timestamp: now))));
        await PortalApi.Expect(HttpStatusCode.Accepted, await api.PostAsync(scenario.Labels, """{ "labels": [ { "predictionId": "a", "label": 1 } ] }"""));

        var summary = await WaitFor(api, $"/api/v1/models/{scenario.Model}/summary?window=5m", s => s.GetProperty("performance").GetProperty("labeled").GetInt64() == 1);

        Assert.Equal(2, summary.GetProperty("traffic").GetProperty("predictions").GetInt64());
        Assert.Equal(0.5, summary.GetProperty("performance").GetProperty("coverage").GetDouble());
        Assert.Equal(1.0, summary.GetProperty("performance").GetProperty("binary").GetProperty("accuracy").GetDouble());
        Assert.Equal(0.5, summary.GetProperty("predictions").GetProperty("mean").GetDouble(), 9);
    }

    [Fact]
    public async Task Timeline_has_a_point_per_step()
    {
        var scenario = await Scenario.CreateAsync(portal);
        using var api = portal.WithKey(scenario.Key);

        var timeline = await PortalApi.Expect(HttpStatusCode.OK, await api.GetAsync($"/api/v1/models/{scenario.Model}/timeline?window=1h"));

        Assert.InRange(timeline.GetProperty("points").GetArrayLength(), 60, 61);
    }

    [Fact]
    public async Task A_range_summary_and_timeline_cover_exactly_the_span_asked_for()
    {
        var scenario = await Scenario.CreateAsync(portal);
        using var api = portal.WithKey(scenario.Key);
        var twoHoursAgo = DateTimeOffset.UtcNow.AddHours(-2);
        await PortalApi.Expect(HttpStatusCode.Accepted, await api.PostAsync(scenario.Predictions,
            PortalApi.Batch(PortalApi.Prediction("old", "0.9", timestamp: twoHoursAgo.ToString("O")), PortalApi.Prediction("new", "0.1", timestamp: DateTimeOffset.UtcNow.ToString("O")))));
        var from = Uri.EscapeDataString(twoHoursAgo.AddMinutes(-5).ToString("O"));
        var to = Uri.EscapeDataString(twoHoursAgo.AddMinutes(5).ToString("O"));

        var summary = await WaitFor(api, $"/api/v1/models/{scenario.Model}/summary?from={from}&to={to}", s => s.GetProperty("traffic").GetProperty("predictions").GetInt64() == 1);
        var timeline = await PortalApi.Expect(HttpStatusCode.OK, await api.GetAsync($"/api/v1/models/{scenario.Model}/timeline?from={from}&to={to}"));
        var month = await PortalApi.Expect(HttpStatusCode.OK, await api.GetAsync($"/api/v1/models/{scenario.Model}/summary?window=30d"));

        Assert.Equal("custom", summary.GetProperty("window").GetString());
        Assert.InRange(timeline.GetProperty("points").GetArrayLength(), 10, 11); // one-minute steps over ten minutes
        Assert.Equal(2, month.GetProperty("traffic").GetProperty("predictions").GetInt64());
    }

    [Theory]
    [InlineData("window=3w", HttpStatusCode.BadRequest)]
    [InlineData("from=yesterday&to=2026-11-01T00:00:00Z", HttpStatusCode.BadRequest)]
    [InlineData("from=2026-11-02T00:00:00Z&to=2026-11-01T00:00:00Z", HttpStatusCode.BadRequest)]
    [InlineData("from=2026-11-01T00:00:00Z", HttpStatusCode.BadRequest)]
    [InlineData("window=1h&from=2026-11-01T00:00:00Z&to=2026-11-02T00:00:00Z", HttpStatusCode.BadRequest)]
    [InlineData("window=1h&version=9.9.9", HttpStatusCode.NotFound)]
    public async Task A_bad_window_or_version_is_a_problem_response(string query, HttpStatusCode status)
    {
        var scenario = await Scenario.CreateAsync(portal);
        using var api = portal.WithKey(scenario.Key);

        await PortalApi.ExpectProblem(status, await api.GetAsync($"/api/v1/models/{scenario.Model}/summary?{query}"));
    }

    [Fact]
    public async Task Another_teams_summary_is_forbidden()
    {
        var mine = await Scenario.CreateAsync(portal);
        var theirs = await Scenario.CreateAsync(portal);
        using var api = portal.WithKey(mine.Key);

        await PortalApi.ExpectProblem(HttpStatusCode.NotFound, await api.GetAsync($"/api/v1/models/{theirs.Model}/summary"));
        await PortalApi.ExpectProblem(HttpStatusCode.NotFound, await api.GetAsync($"/api/v1/models/{theirs.Model}/timeline"));
    }

    [Fact]
    public async Task Drift_compare_answers_like_scipy_for_numerical_samples()
    {
        using var api = portal.Admin();

        var result = await PortalApi.Expect(HttpStatusCode.OK, await api.PostAsync("/api/v1/drift/compare",
            """{ "kind": "numerical", "reference": [1, 2, 3, 4, 5], "current": [3, 4, 5, 6, 7, null] }"""));

        // scipy.stats.ks_2samp([1,2,3,4,5],[3,4,5,6,7]) → D = 0.4, p = 0.873015873…; wasserstein_distance → 2.0
        Assert.Equal("ks", result.GetProperty("method").GetString());
        Assert.Equal(0.4, result.GetProperty("ks").GetProperty("statistic").GetDouble(), 12);
        Assert.Equal(0.873015873015873, result.GetProperty("ks").GetProperty("pValue").GetDouble(), 9);
        Assert.Equal(2.0, result.GetProperty("wasserstein").GetDouble(), 12);
        Assert.Equal(1, result.GetProperty("currentNaN").GetInt64());
        Assert.False(result.GetProperty("drifted").GetBoolean());
    }

    [Fact]
    public async Task Drift_compare_answers_a_chi_square_test_for_categories()
    {
        using var api = portal.Admin();

        var result = await PortalApi.Expect(HttpStatusCode.OK, await api.PostAsync("/api/v1/drift/compare",
            """{ "kind": "categorical", "reference": ["a", "b", "a"], "current": ["b", "b", "c"] }"""));

        // scipy.stats.chi2_contingency([[2,1,0],[0,2,1]], correction=False) → 3.333…, p = 0.18887…, dof 2
        Assert.Equal("chiSquare", result.GetProperty("method").GetString());
        Assert.Equal(10.0 / 3, result.GetProperty("chiSquare").GetProperty("statistic").GetDouble(), 9);
        Assert.Equal(0.1888756028375618, result.GetProperty("chiSquare").GetProperty("pValue").GetDouble(), 9);
        Assert.Equal(2, result.GetProperty("chiSquare").GetProperty("degreesOfFreedom").GetInt32());
    }

    [Theory]
    [InlineData("""{ "kind": "ordinal", "reference": [1], "current": [2] }""", "kind")]
    [InlineData("""{ "kind": "numerical", "reference": [1, "x"], "current": [2] }""", "reference")]
    [InlineData("""{ "kind": "numerical", "current": [2] }""", "reference")]
    [InlineData("""{ "kind": "categorical", "reference": ["a"], "current": [3] }""", "current")]
    public async Task Drift_compare_names_the_bad_field(string body, string field)
    {
        using var api = portal.Admin();

        var problem = await PortalApi.ExpectProblem(HttpStatusCode.BadRequest, await api.PostAsync("/api/v1/drift/compare", body));

        Assert.Contains(PortalApi.Errors(problem), e => e.Field == field);
    }

    [Fact]
    public async Task Drift_compare_needs_a_key()
    {
        using var anonymous = portal.WithKey(null);

        await PortalApi.ExpectProblem(HttpStatusCode.Unauthorized, await anonymous.PostAsync("/api/v1/drift/compare", """{ "kind": "numerical", "reference": [1], "current": [2] }"""));
    }

    private static async Task<System.Text.Json.JsonElement> WaitFor(PortalApi api, string path, Func<System.Text.Json.JsonElement, bool> ready)
    {
        // Buckets are folded on their own thread just after the commit; give it a moment.
        for (var attempt = 0; ; attempt++)
        {
            var body = await PortalApi.Expect(HttpStatusCode.OK, await api.GetAsync(path));
            if (ready(body) || attempt == 50) return body;
            await Task.Delay(100);
        }
    }
}
