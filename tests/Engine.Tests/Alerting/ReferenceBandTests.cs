using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using ModelWatch.Engine.Access;
using ModelWatch.Engine.Alerting;
using ModelWatch.Engine.Registry;
using ModelWatch.Engine.Tests.Windows;
using ModelWatch.Engine.Windows;

namespace ModelWatch.Engine.Tests.Alerting;

/// <summary>
/// Bands learned from reference chunks (NannyML's way), on real ingestion, real summaries and a temp database: the
/// band is what the same rows would measure as production windows, and a rule on it fires on a shift and not on
/// traffic like the reference.
/// </summary>
public sealed class ReferenceBandTests
{
    private static readonly Caller Admin = new("user:admin", Roles.Admin, new HashSet<string>(), new HashSet<string>());

    private static List<(double Amount, string Country, object Prediction, object? Label)> Rows(int count, int seed, double shift = 0)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count)
            .Select(_ => (random.NextDouble() * 100 + shift, random.NextDouble() < 0.5 ? "DE" : "FR", (object)random.NextDouble(), (object?)null))
            .ToList();
    }

    private static AlertRule Rule(string json)
    {
        var spec = JsonSerializer.Deserialize<AlertRuleSpec>(json, new JsonSerializerOptions(JsonSerializerDefaults.Web))!;
        var outcome = RuleValidation.Validate("rule-1", spec, registry: null);
        Assert.True(outcome.IsOk, string.Join("; ", outcome.Errors.Select(e => $"{e.Field}: {e.Reason}")));
        return outcome.Value!;
    }

    [Fact]
    public async Task The_band_is_the_mean_and_spread_of_what_each_reference_chunk_measures_as_a_production_window()
    {
        await using var h = await WindowHarness.StartAsync();
        var model = h.Model(ModelTask.BinaryClassification);
        var reference = Rows(300, seed: 1);
        await h.ReferenceAsync(model, reference);

        // The same three chunks sent as production traffic, an hour apart, each read back as its own window.
        var measured = new List<double>();
        for (var chunk = 0; chunk < 3; chunk++)
        {
            var from = h.Clock.GetUtcNow();
            var rows = reference.Skip(chunk * 100).Take(100).ToList();
            await h.PredictAsync(model, rows.Select((r, i) => new Prediction($"c{chunk}-{i}", r.Amount, r.Country, r.Prediction)));
            h.Clock.Advance(TimeSpan.FromMinutes(2));
            var summary = h.Summaries.GetSummary(model.Id, from.AddSeconds(-1), h.Clock.GetUtcNow())!;
            measured.Add(summary.Drift.Features.Single(f => f.Feature == "amount").Value!.Value);
            h.Clock.Advance(TimeSpan.FromHours(1));
        }

        var bands = new ReferenceBands(h.Baselines, h.DriftSettings);
        var band = bands.For(Rule("""{ "name": "b", "model": "fraud-detector", "signal": "featureDrift", "feature": "amount", "condition": { "type": "band", "learnFrom": "reference", "chunks": 3 } }"""),
            h.Registry.FindModel(model.Id)!, "amount");

        Assert.NotNull(band);
        var mean = measured.Average();
        var sd = Math.Sqrt(measured.Sum(v => (v - mean) * (v - mean)) / 2);
        Assert.Equal(3, band.Chunks);
        Assert.Equal(mean, band.Mean, 9);
        Assert.Equal(sd, band.StandardDeviation, 9);
        Assert.True(sd > 0, "three chunks of random rows do not measure the same value");
        Assert.Contains("1.0.0", band.Reference, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_reference_too_small_to_cut_learns_no_band()
    {
        await using var h = await WindowHarness.StartAsync();
        var model = h.Model(ModelTask.BinaryClassification);
        await h.ReferenceAsync(model, Rows(10 * ReferenceBands.MinRowsPerChunk - 1, seed: 2));
        var rule = Rule("""{ "name": "b", "model": "fraud-detector", "signal": "predictionDrift", "condition": { "type": "band", "learnFrom": "reference" } }""");

        Assert.Null(new ReferenceBands(h.Baselines, h.DriftSettings).For(rule, h.Registry.FindModel(model.Id)!, null));
    }

    [Fact]
    public async Task A_new_reference_learns_a_new_band()
    {
        await using var h = await WindowHarness.StartAsync();
        var model = h.Model(ModelTask.BinaryClassification);
        await h.ReferenceAsync(model, Rows(400, seed: 3));
        var bands = new ReferenceBands(h.Baselines, h.DriftSettings);
        var rule = Rule("""{ "name": "b", "model": "fraud-detector", "signal": "datasetDrift", "condition": { "type": "band", "learnFrom": "reference", "chunks": 4 } }""");
        var first = bands.For(rule, h.Registry.FindModel(model.Id)!, null);

        // Half the rows from a shifted distribution: chunks now differ from the whole far more than before.
        await h.ReferenceAsync(model, Rows(200, seed: 4).Concat(Rows(200, seed: 5, shift: 60)).ToList());
        h.Baselines.Invalidate(h.Registry.FindModel(model.Id)!);
        var second = bands.For(rule, h.Registry.FindModel(model.Id)!, null);

        Assert.NotNull(first);
        Assert.NotNull(second);
        Assert.NotEqual(first.Mean, second.Mean);
        Assert.True(second.Mean > first.Mean, $"a reference of two halves drifts more per chunk ({second.Mean} vs {first.Mean})");
    }

    [Fact]
    public async Task A_rule_on_a_reference_band_stays_normal_on_traffic_like_the_reference_and_fires_on_a_shift()
    {
        await using var h = await WindowHarness.StartAsync();
        var model = h.Model(ModelTask.BinaryClassification);
        await h.ReferenceAsync(model, Rows(2_000, seed: 6));
        using var evaluator = new EvaluatorSetup(h);
        var rule = evaluator.Create("""{ "name": "amount drift band", "model": "fraud-detector", "signal": "featureDrift", "feature": "amount", "window": "5m", "minSamples": 50, "condition": { "type": "band", "learnFrom": "reference", "chunks": 10, "k": 3 } }""");

        await h.PredictAsync(model, Rows(200, seed: 7).Select((r, i) => new Prediction($"a{i}", r.Amount, r.Country, r.Prediction)));
        h.Clock.Advance(TimeSpan.FromSeconds(15));
        evaluator.Evaluator.Evaluate();
        var calm = evaluator.Evaluator.SeriesOf(rule.Id).Single();
        Assert.Equal(AlertState.Normal, calm.State);

        h.Clock.Advance(TimeSpan.FromMinutes(6)); // the calm traffic leaves the 5m window
        await h.PredictAsync(model, Rows(200, seed: 8, shift: 40).Select((r, i) => new Prediction($"b{i}", r.Amount, r.Country, r.Prediction)));
        h.Clock.Advance(TimeSpan.FromSeconds(15));
        evaluator.Evaluator.Evaluate();

        var shifted = evaluator.Evaluator.SeriesOf(rule.Id).Single();
        Assert.Equal(AlertState.Firing, shifted.State);
        var alert = Assert.Single(evaluator.Alerts.List(new AlertFilter(Status: "firing")));
        Assert.Contains("10 chunks of the baseline of version 1.0.0", alert.Threshold, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_rule_on_a_reference_band_without_a_reference_has_insufficient_data_not_a_verdict()
    {
        await using var h = await WindowHarness.StartAsync();
        var model = h.Model(ModelTask.BinaryClassification);
        using var evaluator = new EvaluatorSetup(h);
        var rule = evaluator.Create("""{ "name": "prediction band", "model": "fraud-detector", "signal": "predictionDrift", "window": "5m", "minSamples": 10, "condition": { "type": "band", "learnFrom": "reference" } }""");

        await h.PredictAsync(model, Rows(50, seed: 9).Select((r, i) => new Prediction($"n{i}", r.Amount, r.Country, r.Prediction)));
        h.Clock.Advance(TimeSpan.FromSeconds(15));
        evaluator.Evaluator.Evaluate();

        Assert.Equal(AlertState.InsufficientData, evaluator.Evaluator.SeriesOf(rule.Id).Single().State);
    }

    [Theory]
    [InlineData("""{ "type": "band", "learnFrom": "reference" }""", "latency", "condition.learnFrom")]
    [InlineData("""{ "type": "threshold", "op": ">", "value": 1, "learnFrom": "reference" }""", "featureDrift", "condition.learnFrom")]
    [InlineData("""{ "type": "band", "learnFrom": "yesterday" }""", "featureDrift", "condition.learnFrom")]
    [InlineData("""{ "type": "band", "learnFrom": "reference", "chunks": 2 }""", "featureDrift", "condition.chunks")]
    [InlineData("""{ "type": "band", "learnFrom": "reference", "chunks": 51 }""", "datasetDrift", "condition.chunks")]
    public void A_band_learned_from_the_reference_names_what_is_wrong(string condition, string signal, string field)
    {
        var spec = JsonSerializer.Deserialize<AlertRuleSpec>($$"""{ "name": "x", "model": "fraud-detector", "signal": "{{signal}}", "condition": {{condition}} }""",
            new JsonSerializerOptions(JsonSerializerDefaults.Web))!;

        var outcome = RuleValidation.Validate("rule-1", spec, registry: null);

        Assert.False(outcome.IsOk);
        Assert.Contains(outcome.Errors, e => e.Field == field);
    }

    [Fact]
    public void A_reference_band_round_trips_through_the_stored_spec()
    {
        var rule = Rule("""{ "name": "b", "model": "fraud-detector", "signal": "featureDrift", "condition": { "type": "band", "learnFrom": "reference", "chunks": 7, "k": 2.5 } }""");

        var again = RuleValidation.Validate(rule.Id, rule.ToSpec(), registry: null).Value!;

        Assert.Equal(AlertCondition.FromReference, again.Condition.LearnFrom);
        Assert.Equal(7, again.Condition.Chunks);
        Assert.True(again.Condition.LearnsFromReference);
        Assert.Equal(rule.Condition, again.Condition);
    }

    /// <summary>The evaluator wired as the portal wires it, on the window harness's real summaries.</summary>
    private sealed class EvaluatorSetup : IDisposable
    {
        private readonly WindowHarness _h;

        public EvaluatorSetup(WindowHarness h)
        {
            _h = h;
            var ownership = new OwnershipStore(h.Database.Connections, h.Registry, h.Audit, h.Clock);
            Rules = new AlertRuleStore(h.Database.Connections);
            Alerts = new AlertStore(h.Database.Connections);
            Evaluator = new AlertEvaluator(Rules, Alerts, h.Registry, ownership, h.Summaries, h.Database.Connections, h.Clock,
                Options.Create(new AlertingOptions()), NullLogger<AlertEvaluator>.Instance, new ReferenceBands(h.Baselines, h.DriftSettings));
            Commands = new AlertRuleCommands(Rules, Alerts, Evaluator, h.Registry, h.Audit, h.Clock);
        }

        public AlertRuleStore Rules { get; }
        public AlertStore Alerts { get; }
        public AlertEvaluator Evaluator { get; }
        public AlertRuleCommands Commands { get; }

        public AlertRule Create(string json)
        {
            var spec = JsonSerializer.Deserialize<AlertRuleSpec>(json, new JsonSerializerOptions(JsonSerializerDefaults.Web))!;
            var outcome = Commands.Create(spec, Admin);
            Assert.True(outcome.IsOk, string.Join("; ", outcome.Errors.Select(e => $"{e.Field}: {e.Reason}")) + outcome.Message);
            return outcome.Value!.Rule;
        }

        public void Dispose() { }
    }
}
