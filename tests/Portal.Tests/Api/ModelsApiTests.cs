using System.Net;
using System.Text.Json;
using ModelWatch.Portal.Tests.TestSupport;
using static ModelWatch.Portal.Tests.TestSupport.PortalApi;

namespace ModelWatch.Portal.Tests.Api;

public sealed class ModelsApiTests(PortalFactory portal) : IClassFixture<PortalFactory>
{
    private static string ModelJson(string id, string? team, string task = "binary-classification") => $$"""
        { "id": "{{id}}", "name": "Fraud detector", "task": "{{task}}"{{(team is null ? "" : $", \"team\": \"{team}\"")}},
          "features": [ { "name": "amount", "type": "numerical", "min": 0, "max": 50000 },
                        { "name": "country", "type": "categorical", "categories": ["DE","FR","US"] } ] }
        """;

    [Fact]
    public async Task An_admin_registers_a_model_and_reads_it_back_with_empty_stats()
    {
        using var admin = portal.Admin();
        var team = Scenario.NewId("team");
        var id = Scenario.NewId("model");
        await admin.CreateTeamAsync(team);

        var created = await Expect(HttpStatusCode.Created, await admin.PostAsync("/api/v1/models", ModelJson(id, team)));
        var read = await Expect(HttpStatusCode.OK, await admin.GetAsync($"/api/v1/models/{id}"));

        foreach (var model in new[] { created, read })
        {
            Assert.Equal(id, model.GetProperty("id").GetString());
            Assert.Equal("binary-classification", model.GetProperty("task").GetString());
            Assert.Equal(team, model.GetProperty("team").GetString());
            var features = model.GetProperty("features");
            Assert.Equal("amount", features[0].GetProperty("name").GetString());
            Assert.Equal("numerical", features[0].GetProperty("type").GetString());
            Assert.Equal(50000, features[0].GetProperty("max").GetDouble());
            Assert.Equal("categorical", features[1].GetProperty("type").GetString());
            Assert.Equal(3, features[1].GetProperty("categories").GetArrayLength());
            var stats = model.GetProperty("stats");
            Assert.Equal(0, stats.GetProperty("predictions").GetInt64());
            Assert.Equal(0, stats.GetProperty("labels").GetInt64());
            Assert.Equal(0, stats.GetProperty("duplicates").GetInt64());
            Assert.Equal(JsonValueKind.Null, stats.GetProperty("lastEventAt").ValueKind);
        }
    }

    [Fact]
    public async Task A_team_key_registers_a_model_for_its_own_team_even_when_the_team_is_left_out()
    {
        var scenario = await Scenario.CreateAsync(portal);
        using var teamKey = portal.WithKey(scenario.Key);
        var id = Scenario.NewId("model");

        var created = await Expect(HttpStatusCode.Created, await teamKey.PostAsync("/api/v1/models", ModelJson(id, team: null)));

        Assert.Equal(scenario.Team, created.GetProperty("team").GetString());
    }

    [Fact]
    public async Task A_team_key_may_not_register_a_model_for_another_team()
    {
        var mine = await Scenario.CreateAsync(portal);
        var theirs = await Scenario.CreateAsync(portal);
        using var teamKey = portal.WithKey(mine.Key);
        var id = Scenario.NewId("model");

        await ExpectProblem(HttpStatusCode.Forbidden, await teamKey.PostAsync("/api/v1/models", ModelJson(id, theirs.Team)));

        Assert.Equal(0, portal.Scalar("SELECT COUNT(*) FROM models WHERE id = @id", new { id }));
    }

    [Fact]
    public async Task Registering_a_model_twice_is_a_conflict()
    {
        var scenario = await Scenario.CreateAsync(portal);
        using var admin = portal.Admin();

        await ExpectProblem(HttpStatusCode.Conflict, await admin.PostAsync("/api/v1/models", ModelJson(scenario.Model, scenario.Team, "regression")));

        var model = await Expect(HttpStatusCode.OK, await admin.GetAsync($"/api/v1/models/{scenario.Model}"));
        Assert.Equal("binary-classification", model.GetProperty("task").GetString());
    }

    [Fact]
    public async Task An_invalid_model_is_refused_naming_every_field()
    {
        using var admin = portal.Admin();

        var problem = await ExpectProblem(HttpStatusCode.BadRequest, await admin.PostAsync("/api/v1/models", """
            { "id": "Bad Id", "name": "", "task": "classification",
              "features": [ { "name": "amount", "type": "numerical", "min": 10, "max": 1 }, { "name": "x", "type": "text" } ] }
            """));

        Assert.Equal([(-1, "id"), (-1, "name"), (-1, "task"), (-1, "features[0].min"), (-1, "features[1].type")], Errors(problem));
    }

    [Fact]
    public async Task A_model_for_a_team_that_does_not_exist_is_refused()
    {
        using var admin = portal.Admin();

        var problem = await ExpectProblem(HttpStatusCode.BadRequest, await admin.PostAsync("/api/v1/models", ModelJson(Scenario.NewId("model"), "no-such-team")));

        Assert.Equal([(-1, "team")], Errors(problem));
    }

    [Theory]
    [InlineData("{ \"id\": \"m-1\", ", "application/json")]
    [InlineData("{ \"id\": \"m-1\", \"features\": 5 }", "application/json")]
    [InlineData("{ \"id\": \"m-1\" }", "application/x-www-form-urlencoded")]
    public async Task Malformed_JSON_or_the_wrong_content_type_is_refused(string body, string contentType)
    {
        using var admin = portal.Admin();

        await ExpectProblem(contentType == "application/json" ? HttpStatusCode.BadRequest : HttpStatusCode.UnsupportedMediaType, await admin.PostAsync("/api/v1/models", body, contentType));
    }

    [Fact]
    public async Task Registering_a_model_without_a_key_gets_401()
    {
        using var anonymous = portal.WithKey(null);

        await ExpectProblem(HttpStatusCode.Unauthorized, await anonymous.PostAsync("/api/v1/models", ModelJson(Scenario.NewId("model"), null)));
    }

    [Fact]
    public async Task A_team_key_lists_only_its_teams_models_and_an_admin_lists_all()
    {
        var mine = await Scenario.CreateAsync(portal);
        var theirs = await Scenario.CreateAsync(portal);
        using var teamKey = portal.WithKey(mine.Key);
        using var admin = portal.Admin();

        var visible = (await Expect(HttpStatusCode.OK, await teamKey.GetAsync("/api/v1/models"))).EnumerateArray().Select(m => m.GetProperty("id").GetString()).ToList();
        var all = (await Expect(HttpStatusCode.OK, await admin.GetAsync("/api/v1/models"))).EnumerateArray().Select(m => m.GetProperty("id").GetString()).ToList();

        Assert.Equal([mine.Model], visible);
        Assert.Contains(mine.Model, all);
        Assert.Contains(theirs.Model, all);
    }

    [Fact]
    public async Task Listing_models_without_a_key_gets_401()
    {
        using var anonymous = portal.WithKey(null);

        await ExpectProblem(HttpStatusCode.Unauthorized, await anonymous.GetAsync("/api/v1/models"));
    }

    [Fact]
    public async Task Reading_an_unknown_model_or_another_teams_is_404_and_without_a_key_401()
    {
        var mine = await Scenario.CreateAsync(portal);
        var theirs = await Scenario.CreateAsync(portal);
        using var teamKey = portal.WithKey(mine.Key);
        using var anonymous = portal.WithKey(null);

        await ExpectProblem(HttpStatusCode.NotFound, await teamKey.GetAsync("/api/v1/models/no-such-model"));
        await ExpectProblem(HttpStatusCode.NotFound, await teamKey.GetAsync($"/api/v1/models/{theirs.Model}"));
        await ExpectProblem(HttpStatusCode.Unauthorized, await anonymous.GetAsync($"/api/v1/models/{mine.Model}"));
        using var wrongKey = portal.WithKey("mwk_wrong");
        await ExpectProblem(HttpStatusCode.Unauthorized, await wrongKey.GetAsync($"/api/v1/models/{mine.Model}"));
    }

    [Fact]
    public async Task A_team_key_registers_and_lists_versions_of_its_model()
    {
        var scenario = await Scenario.CreateAsync(portal);
        using var teamKey = portal.WithKey(scenario.Key);

        var created = await Expect(HttpStatusCode.Created, await teamKey.PostAsync($"/api/v1/models/{scenario.Model}/versions",
            """{ "version": "1.3.0", "hyperparameters": { "depth": 6 }, "trainingData": "s3://bucket/train.parquet", "metrics": { "auc": 0.91 } }"""));
        var listed = await Expect(HttpStatusCode.OK, await teamKey.GetAsync($"/api/v1/models/{scenario.Model}/versions"));
        var model = await Expect(HttpStatusCode.OK, await teamKey.GetAsync($"/api/v1/models/{scenario.Model}"));

        Assert.Equal("1.3.0", created.GetProperty("version").GetString());
        Assert.Equal(0.91, created.GetProperty("metrics").GetProperty("auc").GetDouble());
        Assert.Equal($"key:{scenario.KeyId}", created.GetProperty("createdBy").GetString());
        Assert.Equal(["1.0.0", "1.3.0"], listed.EnumerateArray().Select(v => v.GetProperty("version").GetString()));
        Assert.Equal(6, listed[1].GetProperty("hyperparameters").GetProperty("depth").GetInt32());
        Assert.Equal("s3://bucket/train.parquet", listed[1].GetProperty("trainingData").GetString());
        Assert.Equal(["1.0.0", "1.3.0"], model.GetProperty("versions").EnumerateArray().Select(v => v.GetString()));
    }

    private static Task<HttpResponseMessage> RegisterVersion(PortalApi client, Scenario scenario, string version) =>
        client.PostAsync($"/api/v1/models/{scenario.Model}/versions", JsonSerializer.Serialize(new { version }));

    [Theory]
    [InlineData("release/1.0")]
    [InlineData("1.0 beta")]
    [InlineData("..")]
    [InlineData("50%")]
    [InlineData("1.0?x=1")]
    public async Task A_version_that_cannot_stand_in_a_url_path_is_refused_saying_what_is_allowed(string version)
    {
        var scenario = await Scenario.CreateAsync(portal);
        using var client = portal.WithKey(scenario.Key);

        var problem = await ExpectProblem(HttpStatusCode.BadRequest, await RegisterVersion(client, scenario, version));

        Assert.Equal([(-1, "version")], Errors(problem));
        Assert.Contains("letters, digits, '.', '-', '_' and '+'", problem.GetProperty("detail").GetString());
        var listed = await Expect(HttpStatusCode.OK, await client.GetAsync($"/api/v1/models/{scenario.Model}/versions"));
        Assert.Equal(["1.0.0"], listed.EnumerateArray().Select(v => v.GetProperty("version").GetString()));
    }

    [Theory]
    [InlineData("1.4.0+build.7")]
    [InlineData("2026-11-23_rc1")]
    [InlineData("v2")]
    public async Task A_version_with_the_allowed_punctuation_is_registered_and_addressable(string version)
    {
        var scenario = await Scenario.CreateAsync(portal);
        using var client = portal.WithKey(scenario.Key);
        await Expect(HttpStatusCode.Created, await RegisterVersion(client, scenario, version));

        var stored = await Expect(HttpStatusCode.Created, await client.PostAsync($"/api/v1/models/{scenario.Model}/versions/{version}/reference",
            """{ "rows": [ { "features": { "amount": 10, "country": "DE" }, "prediction": 0.2, "label": 0 } ] }"""));

        Assert.Equal(version, stored.GetProperty("version").GetString());
    }

    [Fact]
    public async Task Version_requests_answer_409_for_a_repeat_400_for_bad_fields_404_403_and_401()
    {
        var mine = await Scenario.CreateAsync(portal);
        var theirs = await Scenario.CreateAsync(portal);
        using var teamKey = portal.WithKey(mine.Key);
        using var anonymous = portal.WithKey(null);

        await ExpectProblem(HttpStatusCode.Conflict, await teamKey.PostAsync($"/api/v1/models/{mine.Model}/versions", """{ "version": "1.0.0" }"""));
        var invalid = await ExpectProblem(HttpStatusCode.BadRequest, await teamKey.PostAsync($"/api/v1/models/{mine.Model}/versions", """{ "version": "", "metrics": [1] }"""));
        Assert.Equal([(-1, "version"), (-1, "metrics")], Errors(invalid));
        await ExpectProblem(HttpStatusCode.NotFound, await teamKey.PostAsync("/api/v1/models/no-such-model/versions", """{ "version": "2.0.0" }"""));
        await ExpectProblem(HttpStatusCode.NotFound, await teamKey.PostAsync($"/api/v1/models/{theirs.Model}/versions", """{ "version": "2.0.0" }"""));
        await ExpectProblem(HttpStatusCode.NotFound, await teamKey.GetAsync($"/api/v1/models/{theirs.Model}/versions"));
        await ExpectProblem(HttpStatusCode.NotFound, await teamKey.GetAsync("/api/v1/models/no-such-model/versions"));
        await ExpectProblem(HttpStatusCode.Unauthorized, await anonymous.PostAsync($"/api/v1/models/{mine.Model}/versions", """{ "version": "2.0.0" }"""));
        await ExpectProblem(HttpStatusCode.Unauthorized, await anonymous.GetAsync($"/api/v1/models/{mine.Model}/versions"));
        Assert.Equal(1, portal.Scalar("SELECT COUNT(*) FROM model_versions v JOIN models m ON m.pk = v.model_pk WHERE m.id = @id", new { id = theirs.Model }));
    }

    [Fact]
    public async Task Model_stats_reflect_what_arrived()
    {
        var scenario = await Scenario.CreateAsync(portal);
        using var teamKey = portal.WithKey(scenario.Key);

        await Expect(HttpStatusCode.Accepted, await teamKey.PostAsync(scenario.Predictions, Batch(
            Prediction("p-1", timestamp: "2026-11-23T12:00:00Z"), Prediction("p-2", timestamp: "2026-11-23T12:05:00Z"), Prediction("p-3", timestamp: "2026-11-23T11:00:00Z"))));
        await Expect(HttpStatusCode.Accepted, await teamKey.PostAsync(scenario.Predictions, Batch(Prediction("p-1"))));
        await Expect(HttpStatusCode.Accepted, await teamKey.PostAsync(scenario.Labels, """{ "labels": [ { "predictionId": "p-1", "label": 1 }, { "predictionId": "p-9", "label": 0 } ] }"""));

        var stats = (await Expect(HttpStatusCode.OK, await teamKey.GetAsync($"/api/v1/models/{scenario.Model}"))).GetProperty("stats");
        Assert.Equal(3, stats.GetProperty("predictions").GetInt64());
        Assert.Equal(2, stats.GetProperty("labels").GetInt64());
        Assert.Equal(1, stats.GetProperty("duplicates").GetInt64());
        Assert.Equal(new DateTimeOffset(2026, 11, 23, 12, 5, 0, TimeSpan.Zero), stats.GetProperty("lastEventAt").GetDateTimeOffset());
        var listed = (await Expect(HttpStatusCode.OK, await teamKey.GetAsync("/api/v1/models")))[0].GetProperty("stats");
        Assert.Equal(3, listed.GetProperty("predictions").GetInt64());
    }
}
