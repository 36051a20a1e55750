using System.Text.Json;
using ModelWatch.Engine.Registry;
using ModelWatch.Engine.Tests.TestSupport;

namespace ModelWatch.Engine.Tests.Registry;

public sealed class RegistryStoreTests : IAsyncLifetime
{
    private EngineHarness _engine = null!;

    public async Task InitializeAsync() => _engine = await EngineHarness.StartAsync(startWriter: false);
    public async Task DisposeAsync() => await _engine.DisposeAsync();

    private RegistryStore Registry => _engine.Registry;

    [Fact]
    public void A_team_round_trips_with_its_name_trimmed_and_its_creation_time()
    {
        var created = Registry.CreateTeam(new NewTeam("payments-risk", "  Payments Risk "));

        Assert.True(created.IsOk);
        var found = Registry.FindTeam("payments-risk");
        Assert.Equal(new Team("payments-risk", "Payments Risk", EngineHarness.Start), found);
        Assert.Contains(found, Registry.ListTeams());
    }

    [Fact]
    public void A_second_team_with_the_same_id_is_a_conflict()
    {
        Registry.CreateTeam(new NewTeam("payments-risk", "Payments Risk"));

        var again = Registry.CreateTeam(new NewTeam("payments-risk", "Other name"));

        Assert.Equal(OutcomeKind.Conflict, again.Kind);
        Assert.Contains("payments-risk", again.Message);
        Assert.Equal("Payments Risk", Registry.FindTeam("payments-risk")!.Name);
    }

    [Fact]
    public void An_invalid_team_names_every_offending_field()
    {
        var refused = Registry.CreateTeam(new NewTeam("Payments Risk", " "));

        Assert.Equal(OutcomeKind.Invalid, refused.Kind);
        Assert.Equal(["id", "name"], refused.Errors.Select(e => e.Field));
        Assert.Contains("lower-case", refused.Errors[0].Reason);
        Assert.Empty(Registry.ListTeams());
    }

    [Fact]
    public void A_model_round_trips_with_its_feature_schema_task_and_team()
    {
        Registry.CreateTeam(new NewTeam("payments-risk", "Payments Risk"));

        var created = Registry.CreateModel(new NewModel("fraud-detector", "Fraud detector", "binary-classification", "payments-risk",
            [new NewFeature("amount", "numerical", 0, 50_000), new NewFeature("country", "categorical", Categories: ["DE", "FR", "US"])],
            DecisionThreshold: 0.7, LatencySloMs: 50, MonthlyBudgetUsd: 1200));

        Assert.True(created.IsOk);
        var model = Registry.FindModel("fraud-detector")!;
        Assert.Equal("Fraud detector", model.Name);
        Assert.Equal(ModelTask.BinaryClassification, model.Task);
        Assert.Equal("payments-risk", model.TeamId);
        Assert.Equal(0.7, model.DecisionThreshold);
        Assert.Equal(50, model.LatencySloMs);
        Assert.Equal(1200, model.MonthlyBudgetUsd);
        Assert.Equal(2, model.Features.Count);
        Assert.Equal(new FeatureSpec("amount", FeatureType.Numerical, 0, 50_000), model.Features[0]);
        Assert.Equal(FeatureType.Categorical, model.Features[1].Type);
        Assert.Equal(["DE", "FR", "US"], model.Features[1].Categories!);
        Assert.Equal(["fraud-detector"], Registry.ListModels().Select(m => m.Id));
        Assert.Equal(new ModelIngestionStats(0, 0, 0, null), Registry.GetStats(model));
    }

    [Fact]
    public void Models_survive_a_new_store_reading_the_same_file()
    {
        _engine.Model(ModelTask.MulticlassClassification, "ticket-router", "support");

        var reopened = new RegistryStore(_engine.Database.Connections, _engine.Clock).FindModel("ticket-router")!;

        Assert.Equal(ModelTask.MulticlassClassification, reopened.Task);
        Assert.Equal(["amount", "age", "country"], reopened.Features.Select(f => f.Name));
        Assert.Equal(["1.0.0"], reopened.VersionKeys.Keys);
    }

    [Fact]
    public void A_second_model_with_the_same_id_is_a_conflict()
    {
        _engine.Model(id: "fraud-detector");

        var again = Registry.CreateModel(new NewModel("fraud-detector", "Again", "regression", null, []));

        Assert.Equal(OutcomeKind.Conflict, again.Kind);
        Assert.Contains("fraud-detector", again.Message);
        Assert.Equal(ModelTask.BinaryClassification, Registry.FindModel("fraud-detector")!.Task);
    }

    [Fact]
    public void An_invalid_model_names_every_offending_field()
    {
        var refused = Registry.CreateModel(new NewModel("Fraud_Detector", "", "classification", null,
        [
            new NewFeature("amount", "numerical", 10, 1),
            new NewFeature("amount", "numerical"),
            new NewFeature("country", "text"),
            new NewFeature("", "numerical"),
            new NewFeature("segment", "categorical", Min: 0),
        ], DecisionThreshold: 1.5, LatencySloMs: -1, MonthlyBudgetUsd: -5));

        Assert.Equal(OutcomeKind.Invalid, refused.Kind);
        var fields = refused.Errors.Select(e => e.Field).ToList();
        Assert.Equal(
            ["id", "name", "task", "decisionThreshold", "latencySloMs", "monthlyBudgetUsd", "features[0].min", "features[1].name", "features[2].type", "features[3].name", "features[4].min"],
            fields);
        Assert.Contains("binary-classification", refused.Errors.Single(e => e.Field == "task").Reason);
        Assert.Contains("declared twice", refused.Errors.Single(e => e.Field == "features[1].name").Reason);
        Assert.Empty(Registry.ListModels());
    }

    [Fact]
    public void A_model_for_a_team_that_does_not_exist_is_refused_naming_the_team_field()
    {
        var refused = Registry.CreateModel(new NewModel("fraud-detector", "Fraud", "binary-classification", "nobody-team", []));

        Assert.Equal(OutcomeKind.Invalid, refused.Kind);
        Assert.Equal("team", Assert.Single(refused.Errors).Field);
        Assert.Contains("nobody-team", refused.Errors[0].Reason);
        Assert.Null(Registry.FindModel("fraud-detector"));
    }

    [Fact]
    public void A_version_round_trips_with_its_metadata_and_is_usable_at_once()
    {
        Registry.CreateModel(new NewModel("fraud-detector", "Fraud", "binary-classification", null, []));
        using var hyper = JsonDocument.Parse("""{ "depth": 6, "eta": 0.1 }""");
        using var metrics = JsonDocument.Parse("""{ "auc": 0.91 }""");

        var created = Registry.CreateVersion("fraud-detector", new NewVersion(" 1.3.0 ", hyper.RootElement, "s3://bucket/train.parquet", metrics.RootElement), "key:abc");

        Assert.True(created.IsOk);
        var model = Registry.FindModel("fraud-detector")!;
        Assert.True(model.VersionKeys.ContainsKey("1.3.0"));
        var version = Assert.Single(Registry.ListVersions(model));
        Assert.Equal("1.3.0", version.Version);
        Assert.Equal("s3://bucket/train.parquet", version.TrainingData);
        Assert.Equal("key:abc", version.CreatedBy);
        Assert.Equal(0.91, JsonDocument.Parse(version.MetricsJson).RootElement.GetProperty("auc").GetDouble());
        Assert.Equal(6, JsonDocument.Parse(version.HyperparametersJson).RootElement.GetProperty("depth").GetInt32());
        Assert.Equal(0, version.ReferenceRows);
    }

    [Fact]
    public void A_second_version_with_the_same_name_is_a_conflict()
    {
        _engine.Model();

        var again = Registry.CreateVersion("fraud-detector", new NewVersion("1.0.0"), null);

        Assert.Equal(OutcomeKind.Conflict, again.Kind);
        Assert.Contains("1.0.0", again.Message);
    }

    [Fact]
    public void A_version_of_an_unknown_model_is_not_found()
    {
        Assert.Equal(OutcomeKind.NotFound, Registry.CreateVersion("no-such-model", new NewVersion("1.0.0"), null).Kind);
    }

    [Theory]
    [InlineData("release/1.0")]
    [InlineData("1.0 beta")]
    [InlineData(".hidden")]
    [InlineData("1.0#2")]
    [InlineData("é1")]
    public void A_version_that_cannot_stand_in_a_url_path_is_refused_and_not_stored(string version)
    {
        var model = _engine.Model();

        var refused = Registry.CreateVersion("fraud-detector", new NewVersion(version), null);

        Assert.Equal(OutcomeKind.Invalid, refused.Kind);
        var error = Assert.Single(refused.Errors);
        Assert.Equal("version", error.Field);
        Assert.Contains(VersionName.Rule, error.Reason);
        Assert.Equal(["1.0.0"], Registry.ListVersions(model).Select(v => v.Version));
    }

    [Fact]
    public void A_version_at_the_length_limit_is_registered_and_one_over_is_refused()
    {
        _engine.Model();

        Assert.True(Registry.CreateVersion("fraud-detector", new NewVersion(new string('7', VersionName.MaxLength)), null).IsOk);
        Assert.Equal(OutcomeKind.Invalid, Registry.CreateVersion("fraud-detector", new NewVersion(new string('8', VersionName.MaxLength + 1)), null).Kind);
    }

    [Fact]
    public void An_invalid_version_names_every_offending_field()
    {
        _engine.Model();
        using var array = JsonDocument.Parse("[1, 2]");

        var refused = Registry.CreateVersion("fraud-detector", new NewVersion("", array.RootElement, null, array.RootElement), null);

        Assert.Equal(OutcomeKind.Invalid, refused.Kind);
        Assert.Equal(["version", "hyperparameters", "metrics"], refused.Errors.Select(e => e.Field));
    }
}
