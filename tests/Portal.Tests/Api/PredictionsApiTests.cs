using System.Net;
using ModelWatch.Portal.Tests.TestSupport;
using static ModelWatch.Portal.Tests.TestSupport.PortalApi;

namespace ModelWatch.Portal.Tests.Api;

/// <summary>POST /api/v1/models/{id}/predictions: 202 means committed; every refusal stores nothing.</summary>
public sealed class PredictionsApiTests(PortalFactory portal) : IClassFixture<PortalFactory>
{
    /// <summary>A scenario that already has one stored event, so "unchanged" is not the same as "empty".</summary>
    private async Task<(Scenario Scenario, PortalApi Client, StoredRows Before)> Seeded(string task = "binary-classification")
    {
        var scenario = await Scenario.CreateAsync(portal, task);
        var client = portal.WithKey(scenario.Key);
        var prediction = task switch { "multiclass-classification" => "\"cat\"", "regression" => "12.5", _ => "0.5" };
        await Expect(HttpStatusCode.Accepted, await client.PostAsync(scenario.Predictions, Batch(Prediction("seed", prediction))));
        return (scenario, client, portal.Rows(scenario.Model));
    }

    private async Task<List<(int Index, string Field)>> Refused(string body, string task = "binary-classification", string contentType = "application/json", HttpStatusCode status = HttpStatusCode.BadRequest)
    {
        var (scenario, client, before) = await Seeded(task);
        using (client)
        {
            var problem = await ExpectProblem(status, await client.PostAsync(scenario.Predictions, body, contentType));
            Assert.Equal(before, portal.Rows(scenario.Model));
            return problem.TryGetProperty("errors", out _) ? Errors(problem) : [];
        }
    }

    [Fact]
    public async Task A_valid_batch_is_accepted_and_stored()
    {
        var scenario = await Scenario.CreateAsync(portal);
        using var client = portal.WithKey(scenario.Key);

        var answer = await Expect(HttpStatusCode.Accepted, await client.PostAsync(scenario.Predictions, Many(3)));

        Assert.Equal(3, answer.GetProperty("accepted").GetInt32());
        Assert.Equal(0, answer.GetProperty("duplicates").GetInt32());
        Assert.Equal(3, portal.Rows(scenario.Model).Predictions);
    }

    [Fact]
    public async Task An_admin_key_may_send_to_any_teams_model()
    {
        var scenario = await Scenario.CreateAsync(portal);
        using var admin = portal.Admin();

        await Expect(HttpStatusCode.Accepted, await admin.PostAsync(scenario.Predictions, Many(2)));

        Assert.Equal(2, portal.Rows(scenario.Model).Predictions);
    }

    [Fact]
    public async Task Posting_the_same_batch_twice_reports_duplicates_and_leaves_the_rows_unchanged()
    {
        var scenario = await Scenario.CreateAsync(portal);
        using var client = portal.WithKey(scenario.Key);
        await Expect(HttpStatusCode.Accepted, await client.PostAsync(scenario.Predictions, Many(4)));
        var rows = portal.Rows(scenario.Model);

        var retry = await Expect(HttpStatusCode.Accepted, await client.PostAsync(scenario.Predictions, Many(4)));

        Assert.Equal(0, retry.GetProperty("accepted").GetInt32());
        Assert.Equal(4, retry.GetProperty("duplicates").GetInt32());
        Assert.Equal(rows with { Stats = rows.Stats + 4 }, portal.Rows(scenario.Model));
    }

    [Fact]
    public async Task Duplicates_within_one_batch_are_counted()
    {
        var scenario = await Scenario.CreateAsync(portal);
        using var client = portal.WithKey(scenario.Key);

        var answer = await Expect(HttpStatusCode.Accepted, await client.PostAsync(scenario.Predictions, Batch(Prediction("a"), Prediction("a"), Prediction("b"))));

        Assert.Equal(2, answer.GetProperty("accepted").GetInt32());
        Assert.Equal(1, answer.GetProperty("duplicates").GetInt32());
    }

    [Fact]
    public async Task Malformed_JSON_is_refused()
    {
        Assert.Equal([(-1, "body")], await Refused("""{ "events": [ { "id": "p-1", """));
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/x-www-form-urlencoded")]
    [InlineData("application/xml")]
    public async Task The_wrong_content_type_is_refused_with_415(string contentType)
    {
        Assert.Equal([(-1, "contentType")], await Refused(Batch(Prediction("p-1")), contentType: contentType, status: HttpStatusCode.UnsupportedMediaType));
    }

    [Fact]
    public async Task A_JSON_subtype_content_type_is_refused_with_415()
    {
        var scenario = await Scenario.CreateAsync(portal);
        using var client = portal.WithKey(scenario.Key);

        await ExpectProblem(HttpStatusCode.UnsupportedMediaType, await client.PostAsync(scenario.Predictions, Many(1), "application/vnd.modelwatch+json"));
    }

    [Fact]
    public async Task An_empty_body_is_refused()
    {
        Assert.Equal([(-1, "body")], await Refused(""));
    }

    [Fact]
    public async Task A_body_without_events_is_refused_naming_the_events_field()
    {
        Assert.Equal([(-1, "events")], await Refused("""{ "predictions": [] }"""));
    }

    [Theory]
    [InlineData("\"id\": \"\",")]
    [InlineData("\"id\": 7,")]
    [InlineData("")]
    public async Task A_missing_or_unparsable_id_is_refused(string id)
    {
        Assert.Equal([(0, "id")], await Refused(Batch($$"""{ {{id}} "timestamp": "{{Time}}", "version": "1.0.0", "features": {}, "prediction": 0.5 }""")));
    }

    [Theory]
    [InlineData("2026-11-23 noon")]
    [InlineData("2026-11-23T12:00:00")]
    public async Task An_unparsable_timestamp_is_refused(string timestamp)
    {
        Assert.Equal([(0, "timestamp")], await Refused(Batch(Prediction("p-1", timestamp: timestamp))));
    }

    [Fact]
    public async Task A_version_unknown_to_the_model_is_refused()
    {
        Assert.Equal([(0, "version")], await Refused(Batch(Prediction("p-1", version: "2.0.0"))));
    }

    [Theory]
    [InlineData("binary-classification", "1.2")]
    [InlineData("binary-classification", "\"yes\"")]
    [InlineData("multiclass-classification", "0.4")]
    [InlineData("multiclass-classification", "null")]
    [InlineData("regression", "\"12\"")]
    [InlineData("regression", "NaN")]
    public async Task A_prediction_of_the_wrong_kind_for_the_task_is_refused(string task, string prediction)
    {
        Assert.Equal([(0, "prediction")], await Refused(Batch(Prediction("p-1", prediction)), task));
    }

    [Theory]
    [InlineData("multiclass-classification", "\"approve\"")]
    [InlineData("regression", "-3.75")]
    public async Task A_prediction_of_the_right_kind_is_accepted(string task, string prediction)
    {
        var scenario = await Scenario.CreateAsync(portal, task);
        using var client = portal.WithKey(scenario.Key);
        var probabilities = task == "multiclass-classification" ? "\"probabilities\": { \"approve\": 0.7, \"deny\": 0.3 }, " : "";

        await Expect(HttpStatusCode.Accepted, await client.PostAsync(scenario.Predictions, Batch(Prediction("p-1", prediction).Replace("\"latencyMs\"", probabilities + "\"latencyMs\""))));

        Assert.Equal(1, portal.Rows(scenario.Model).Predictions);
    }

    [Fact]
    public async Task A_batch_where_only_event_3_of_5_is_bad_stores_nothing_and_names_that_event()
    {
        var events = Enumerable.Range(0, 5).Select(i => i == 2 ? Prediction("e-" + i, version: "0.0.0") : Prediction("e-" + i)).ToArray();

        Assert.Equal([(2, "version")], await Refused(Batch(events)));
    }

    [Fact]
    public async Task Every_bad_event_is_listed()
    {
        var errors = await Refused(Batch(Prediction("ok"), Prediction("", "3"), Prediction("x", timestamp: "never")));

        Assert.Equal([(1, "id"), (1, "prediction"), (2, "timestamp")], errors);
    }

    [Fact]
    public async Task Feature_problems_do_not_refuse_the_batch_and_bare_NaN_tokens_are_read()
    {
        var scenario = await Scenario.CreateAsync(portal);
        using var client = portal.WithKey(scenario.Key);

        await Expect(HttpStatusCode.Accepted, await client.PostAsync(scenario.Predictions, Batch(
            Prediction("nan", features: """{ "amount": NaN, "country": "DE" }"""),
            Prediction("inf", features: """{ "amount": -Infinity, "country": "XX", "colour": "red" }"""),
            Prediction("str", features: """{ "amount": "Infinity" }"""),
            Prediction("oob", features: """{ "amount": 60000, "country": 3 }"""))));

        Assert.Equal(4, portal.Rows(scenario.Model).Predictions);
        var at = DateTimeOffset.Parse(Time, System.Globalization.CultureInfo.InvariantCulture);
        var range = $"from={Uri.EscapeDataString(at.AddMinutes(-1).ToString("O"))}&to={Uri.EscapeDataString(at.AddMinutes(1).ToString("O"))}";
        var quality = (await QualityOnceFolded(client, $"/api/v1/models/{scenario.Model}/summary?{range}", rows: 4))
            .ToDictionary(q => q.GetProperty("feature").GetString()!);
        long Count(string feature, string rate) =>
            (long)Math.Round(quality[feature].GetProperty(rate).GetDouble() * quality[feature].GetProperty("rows").GetInt64());
        Assert.Equal(3, Count("amount", "typeErrorRate"));
        Assert.Equal(1, Count("amount", "outOfBoundsRate"));
        Assert.Equal(1, Count("country", "missingRate"));
        Assert.Equal(1, Count("country", "unknownCategoryRate"));
        Assert.Equal(1, Count("country", "typeErrorRate"));
        Assert.Equal(1, quality["colour"].GetProperty("undeclared").GetInt64());
    }

    /// <summary>The summary's quality section once the aggregator has folded the batch (it does so just after the commit).</summary>
    private static async Task<List<System.Text.Json.JsonElement>> QualityOnceFolded(PortalApi client, string path, long rows)
    {
        for (var attempt = 0; ; attempt++)
        {
            var quality = (await Expect(HttpStatusCode.OK, await client.GetAsync(path))).GetProperty("quality").EnumerateArray().ToList();
            if (quality.Any(q => q.GetProperty("rows").GetInt64() == rows) || attempt == 50) return quality;
            await Task.Delay(100);
        }
    }

    [Fact]
    public async Task An_unknown_model_is_not_found()
    {
        using var admin = portal.Admin();

        var problem = await ExpectProblem(HttpStatusCode.NotFound, await admin.PostAsync("/api/v1/models/no-such-model/predictions", Many(1)));

        Assert.Contains("no-such-model", problem.GetProperty("detail").GetString());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("mwk_guessed-key")]
    public async Task A_missing_or_bad_key_gets_401_and_stores_nothing(string? key)
    {
        var (scenario, _, before) = await Seeded();
        using var client = portal.WithKey(key);

        await ExpectProblem(HttpStatusCode.Unauthorized, await client.PostAsync(scenario.Predictions, Many(2, "x-")));

        Assert.Equal(before, portal.Rows(scenario.Model));
    }

    [Fact]
    public async Task Another_teams_key_gets_404_and_stores_nothing()
    {
        var (scenario, _, before) = await Seeded();
        var other = await Scenario.CreateAsync(portal);
        using var client = portal.WithKey(other.Key);

        var problem = await ExpectProblem(HttpStatusCode.NotFound, await client.PostAsync(scenario.Predictions, Many(2, "x-")));

        Assert.DoesNotContain(scenario.Team, problem.GetProperty("detail").GetString());
        Assert.Equal(before, portal.Rows(scenario.Model));
    }
}
