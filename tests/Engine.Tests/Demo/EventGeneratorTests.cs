using ModelWatch.Engine.Demo;
using ModelWatch.Engine.Statistics.Performance;

namespace ModelWatch.Engine.Tests.Demo;

/// <summary>The demo's models are plausible: informative scores, sensible errors, values inside their declared schema.</summary>
public class EventGeneratorTests
{
    private const int Draws = 20_000;

    [Theory]
    [InlineData("fraud-detector")]
    [InlineData("churn-predictor")]
    public void Binary_scores_rank_positives_above_negatives(string modelId)
    {
        var latest = Binary(modelId, latestVersion: true);
        var previous = Binary(modelId, latestVersion: false);

        Assert.InRange(latest.RocAuc.Value!.Value, 0.8, 0.95);
        Assert.InRange(previous.RocAuc.Value!.Value, 0.75, 0.92);
        Assert.True(latest.RocAuc.Value > previous.RocAuc.Value, "the newer version should be the better model");
        Assert.InRange(latest.Accuracy.Value!.Value, 0.75, 0.97);
    }

    [Fact]
    public void The_ticket_router_is_mostly_right()
    {
        var (predicted, labels) = Classes(latestVersion: true);
        var (previousPredicted, previousLabels) = Classes(latestVersion: false);

        var latest = MulticlassClassification.Evaluate(predicted, labels);
        var previous = MulticlassClassification.Evaluate(previousPredicted, previousLabels);

        Assert.InRange(latest.Accuracy.Value!.Value, 0.78, 0.93);
        Assert.True(latest.Accuracy.Value > previous.Accuracy.Value);
        Assert.Equal(["account", "billing", "sales", "technical"], latest.Classes);
    }

    [Fact]
    public void Demand_forecast_errors_are_sensible()
    {
        var generator = Model("demand-forecast").Generator;
        var random = new Random(7);
        var predicted = new double[Draws];
        var actual = new double[Draws];
        for (var i = 0; i < Draws; i++)
        {
            var draw = generator.Draw(random, true, DemoConditions.Normal);
            predicted[i] = (double)draw.Prediction;
            actual[i] = (double)draw.Label;
        }

        var metrics = Regression.Evaluate(predicted, actual);

        Assert.InRange(metrics.MeanAbsolutePercentageError.Value!.Value, 0.08, 0.2);
        Assert.InRange(metrics.R2.Value!.Value, 0.8, 0.99);
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    public void Every_drawn_value_is_inside_the_declared_schema(bool drift, bool shift)
    {
        foreach (var model in DemoCatalog.Models)
        {
            var random = new Random(11);
            for (var i = 0; i < 2_000; i++)
            {
                var draw = model.Generator.Draw(random, i % 2 == 0, new DemoConditions(drift, shift));
                Assert.Equal(model.Features.Select(f => f.Name), draw.Features.Select(f => f.Key));
                foreach (var (name, value) in draw.Features)
                {
                    var spec = model.Features.Single(f => f.Name == name);
                    if (spec.Type == "numerical") Assert.InRange((double)value, spec.Min!.Value, spec.Max!.Value);
                    else Assert.Contains((string)value, spec.Categories!);
                }
            }
        }
    }

    [Fact]
    public void Fraud_drift_moves_amounts_and_countries()
    {
        var generator = Model("fraud-detector").Generator;
        var random = new Random(3);
        var baseline = Enumerable.Range(0, Draws).Select(_ => generator.Draw(random, true, DemoConditions.Normal)).ToList();
        var drifted = Enumerable.Range(0, Draws).Select(_ => generator.Draw(random, true, new DemoConditions(FeatureDrift: true))).ToList();

        Assert.True(Median(drifted, "amount") > 2 * Median(baseline, "amount"));
        Assert.True(Share(drifted, "country", "NG") > 3 * Share(baseline, "country", "NG"));
    }

    [Fact]
    public void Churn_prediction_shift_pushes_scores_up_but_not_the_labels()
    {
        var generator = Model("churn-predictor").Generator;
        var random = new Random(5);
        var baseline = Enumerable.Range(0, Draws).Select(_ => generator.Draw(random, true, DemoConditions.Normal)).ToList();
        var shifted = Enumerable.Range(0, Draws).Select(_ => generator.Draw(random, true, new DemoConditions(PredictionShift: true))).ToList();

        Assert.True(shifted.Average(d => (double)d.Prediction) > baseline.Average(d => (double)d.Prediction) + 0.15);
        Assert.InRange(shifted.Average(d => (double)d.Label) - baseline.Average(d => (double)d.Label), -0.02, 0.02);
    }

    private static DemoModel Model(string id) => DemoCatalog.Models.Single(m => m.Id == id);

    private static BinaryClassificationMetrics Binary(string modelId, bool latestVersion)
    {
        var generator = Model(modelId).Generator;
        var random = new Random(42);
        var scores = new double[Draws];
        var labels = new bool[Draws];
        for (var i = 0; i < Draws; i++)
        {
            var draw = generator.Draw(random, latestVersion, DemoConditions.Normal);
            scores[i] = (double)draw.Prediction;
            labels[i] = (double)draw.Label == 1;
        }
        return BinaryClassification.Evaluate(scores, labels);
    }

    private static (List<string> Predicted, List<string> Labels) Classes(bool latestVersion)
    {
        var generator = Model("ticket-router").Generator;
        var random = new Random(42);
        var draws = Enumerable.Range(0, Draws).Select(_ => generator.Draw(random, latestVersion, DemoConditions.Normal)).ToList();
        return (draws.Select(d => (string)d.Prediction).ToList(), draws.Select(d => (string)d.Label).ToList());
    }

    private static double Median(List<DemoDraw> draws, string feature)
    {
        var values = draws.Select(d => (double)d.Features.Single(f => f.Key == feature).Value).Order().ToList();
        return values[values.Count / 2];
    }

    private static double Share(List<DemoDraw> draws, string feature, string category) =>
        draws.Count(d => (string)d.Features.Single(f => f.Key == feature).Value == category) / (double)draws.Count;
}
