using System.Net;
using ModelWatch.Portal.Tests.TestSupport;
using static ModelWatch.Portal.Tests.TestSupport.PortalApi;

namespace ModelWatch.Portal.Tests.Api;

public sealed class LabelsMetricsReferenceApiTests(PortalFactory portal) : IClassFixture<PortalFactory>
{
    private const string Metrics = """
        { "samples": [ { "timestamp": "2026-11-23T12:00:00Z", "cpuPercent": 41, "memoryMb": 812, "gpuPercent": 0, "errors": 0 } ],
          "costs": [ { "timestamp": "2026-11-23T12:00:00Z", "amountUsd": 3.2, "item": "gpu-node-hour" } ] }
        """;

    private const string Reference = """{ "rows": [ { "features": { "amount": 10, "country": "DE" }, "prediction": 0.2, "label": 0 }, { "features": { "amount": 20, "country": "FR" }, "prediction": 0.7, "label": 1 } ] }""";

    private long Joined(Scenario scenario, string id) => portal.Scalar("""
        SELECT COUNT(*) FROM labels l JOIN predictions p ON p.model_pk = l.model_pk AND p.event_id = l.prediction_id
        WHERE l.model_pk = (SELECT pk FROM models WHERE id = @model) AND l.prediction_id = @id
        """, new { model = scenario.Model, id });

    [Fact]
    public async Task A_label_after_its_prediction_is_matched()
    {
        var scenario = await Scenario.CreateAsync(portal);
        using var client = portal.WithKey(scenario.Key);
        await Expect(HttpStatusCode.Accepted, await client.PostAsync(scenario.Predictions, Batch(Prediction("p-1"))));

        var answer = await Expect(HttpStatusCode.Accepted, await client.PostAsync(scenario.Labels, """{ "labels": [ { "predictionId": "p-1", "label": 1, "timestamp": "2026-11-23T15:00:00Z" } ] }"""));

        Assert.Equal(1, answer.GetProperty("matched").GetInt32());
        Assert.Equal(0, answer.GetProperty("unmatched").GetInt32());
        Assert.Equal(1, Joined(scenario, "p-1"));
    }

    [Fact]
    public async Task A_label_before_its_prediction_is_unmatched_then_joined_when_the_prediction_arrives()
    {
        var scenario = await Scenario.CreateAsync(portal);
        using var client = portal.WithKey(scenario.Key);

        var answer = await Expect(HttpStatusCode.Accepted, await client.PostAsync(scenario.Labels, """{ "labels": [ { "predictionId": "p-early", "label": 0 } ] }"""));
        Assert.Equal(0, answer.GetProperty("matched").GetInt32());
        Assert.Equal(1, answer.GetProperty("unmatched").GetInt32());
        Assert.Equal(0, Joined(scenario, "p-early"));

        await Expect(HttpStatusCode.Accepted, await client.PostAsync(scenario.Predictions, Batch(Prediction("p-early"))));

        Assert.Equal(1, Joined(scenario, "p-early"));
        var stats = (await Expect(HttpStatusCode.OK, await client.GetAsync($"/api/v1/models/{scenario.Model}"))).GetProperty("stats");
        Assert.Equal(1, stats.GetProperty("labels").GetInt64());
    }

    [Fact]
    public async Task A_bad_label_refuses_the_batch_naming_it_and_stores_nothing()
    {
        var scenario = await Scenario.CreateAsync(portal);
        using var client = portal.WithKey(scenario.Key);

        var problem = await ExpectProblem(HttpStatusCode.BadRequest, await client.PostAsync(scenario.Labels,
            """{ "labels": [ { "predictionId": "p-1", "label": 1 }, { "predictionId": "p-2", "label": 0.5 }, { "label": 1 } ] }"""));

        Assert.Equal([(1, "label"), (2, "predictionId")], Errors(problem));
        Assert.Equal(0, portal.Rows(scenario.Model).Labels);
    }

    [Fact]
    public async Task Metrics_are_accepted_and_stored()
    {
        var scenario = await Scenario.CreateAsync(portal);
        using var client = portal.WithKey(scenario.Key);

        var answer = await Expect(HttpStatusCode.Accepted, await client.PostAsync(scenario.Metrics, Metrics));

        Assert.Equal(2, answer.GetProperty("accepted").GetInt32());
        Assert.Equal(2, portal.Rows(scenario.Model).Metrics);
    }

    [Fact]
    public async Task A_bad_metrics_sample_refuses_the_batch_and_stores_nothing()
    {
        var scenario = await Scenario.CreateAsync(portal);
        using var client = portal.WithKey(scenario.Key);

        var problem = await ExpectProblem(HttpStatusCode.BadRequest, await client.PostAsync(scenario.Metrics,
            Metrics.Replace("\"cpuPercent\": 41", "\"cpuPercent\": 410")));

        Assert.Equal([(0, "samples.cpuPercent")], Errors(problem));
        Assert.Equal(0, portal.Rows(scenario.Model).Metrics);
    }

    [Fact]
    public async Task A_reference_baseline_is_stored_and_shows_on_the_version()
    {
        var scenario = await Scenario.CreateAsync(portal);
        using var client = portal.WithKey(scenario.Key);

        var response = await client.PostAsync($"/api/v1/models/{scenario.Model}/versions/1.0.0/reference", Reference);

        var stored = await Expect(HttpStatusCode.Created, response);
        Assert.Equal(2, stored.GetProperty("rows").GetInt32());
        var versions = await Expect(HttpStatusCode.OK, await client.GetAsync($"/api/v1/models/{scenario.Model}/versions"));
        Assert.Equal(2, versions[0].GetProperty("referenceRows").GetInt32());
    }

    [Fact]
    public async Task A_reference_for_an_unknown_version_or_with_a_bad_row_is_refused()
    {
        var scenario = await Scenario.CreateAsync(portal);
        using var client = portal.WithKey(scenario.Key);

        var unknown = await ExpectProblem(HttpStatusCode.BadRequest, await client.PostAsync($"/api/v1/models/{scenario.Model}/versions/9.9.9/reference", Reference));
        var bad = await ExpectProblem(HttpStatusCode.BadRequest, await client.PostAsync($"/api/v1/models/{scenario.Model}/versions/1.0.0/reference",
            """{ "rows": [ { "features": { "amount": 1 } }, { "prediction": 0.5 } ] }"""));

        Assert.Equal([(-1, "version")], Errors(unknown));
        Assert.Equal([(1, "features")], Errors(bad));
        Assert.Equal(0, portal.Rows(scenario.Model).ReferenceRows);
    }

    [Theory]
    [InlineData("labels", """{ "labels": [ { "predictionId": "p-1", "label": 1 } ] }""")]
    [InlineData("metrics", Metrics)]
    [InlineData("versions/1.0.0/reference", Reference)]
    public async Task Each_ingestion_endpoint_answers_401_404_415_and_400_and_stores_nothing(string path, string body)
    {
        var scenario = await Scenario.CreateAsync(portal);
        var other = await Scenario.CreateAsync(portal);
        using var anonymous = portal.WithKey(null);
        using var badKey = portal.WithKey("mwk_wrong");
        using var otherTeam = portal.WithKey(other.Key);
        using var own = portal.WithKey(scenario.Key);
        var url = $"/api/v1/models/{scenario.Model}/{path}";

        await ExpectProblem(HttpStatusCode.Unauthorized, await anonymous.PostAsync(url, body));
        await ExpectProblem(HttpStatusCode.Unauthorized, await badKey.PostAsync(url, body));
        await ExpectProblem(HttpStatusCode.NotFound, await otherTeam.PostAsync(url, body)); // another team's model is not revealed
        await ExpectProblem(HttpStatusCode.NotFound, await own.PostAsync($"/api/v1/models/no-such-model/{path}", body));
        await ExpectProblem(HttpStatusCode.BadRequest, await own.PostAsync(url, "{ not json"));
        await ExpectProblem(HttpStatusCode.UnsupportedMediaType, await own.PostAsync(url, body, "text/plain"));

        Assert.Equal(new StoredRows(0, 0, 0, 0, 0), portal.Rows(scenario.Model));
    }
}
