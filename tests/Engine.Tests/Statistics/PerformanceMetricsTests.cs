using ModelWatch.Engine.Statistics.Performance;

namespace ModelWatch.Engine.Tests.Statistics;

/// <summary>Hand-computed cases and the undefined ones.</summary>
public class PerformanceMetricsTests
{
    [Fact]
    public void Binary_metrics_by_hand()
    {
        // scores ≥ 0.5 predict positive: predictions 0,0,0,1,1,0 against labels 0,0,1,1,0,1.
        double[] scores = [0.1, 0.4, 0.35, 0.8, 0.8, 0.2];
        bool[] labels = [false, false, true, true, false, true];

        var m = BinaryClassification.Evaluate(scores, labels);

        Assert.Equal(new BinaryConfusionMatrix(TrueNegatives: 2, FalsePositives: 1, FalseNegatives: 2, TruePositives: 1), m.Confusion);
        Assert.Equal(3.0 / 6, m.Accuracy.Value);
        Assert.Equal(1.0 / 2, m.Precision.Value);
        Assert.Equal(1.0 / 3, m.Recall.Value);
        Assert.Equal(2.0 / 5, m.F1.Value!.Value, 15); // 2·TP / (2·TP + FP + FN)
        // Positive scores 0.35, 0.8, 0.2 vs negatives 0.1, 0.4, 0.8: pairs won 1 + (2 + 0.5) + 1 = 4.5 of 9.
        Assert.Equal(4.5 / 9, m.RocAuc.Value!.Value, 15);
        var logLoss = -(Math.Log(0.9) + Math.Log(0.6) + Math.Log(0.35) + Math.Log(0.8) + Math.Log(0.2) + Math.Log(0.2)) / 6;
        Assert.Equal(logLoss, m.LogLoss.Value!.Value, 14);
    }

    [Fact]
    public void Binary_metrics_without_positive_labels_are_undefined_with_a_reason()
    {
        var m = BinaryClassification.Evaluate([0.2, 0.3, 0.9], [false, false, false]);

        Assert.Null(m.Recall.Value);
        Assert.Contains("no label is positive", m.Recall.Reason);
        Assert.Null(m.RocAuc.Value);
        Assert.Contains("both positive and negative", m.RocAuc.Reason);
        Assert.Equal(0.0, m.Precision.Value); // one false positive: precision is defined and zero
        Assert.Equal(2.0 / 3, m.Accuracy.Value);
    }

    [Fact]
    public void Precision_without_positive_predictions_is_undefined()
    {
        var m = BinaryClassification.Evaluate([0.1, 0.2], [true, false]);

        Assert.Null(m.Precision.Value);
        Assert.Equal(0.0, m.F1.Value);
    }

    [Fact]
    public void Log_loss_clips_certain_wrong_answers_like_sklearn()
    {
        var m = BinaryClassification.Evaluate([0.0], [true]);

        Assert.Equal(-Math.Log(BinaryClassification.LogLossEpsilon), m.LogLoss.Value);
    }

    [Fact]
    public void No_pairs_give_undefined_metrics_not_NaN()
    {
        var m = BinaryClassification.Evaluate([double.NaN], [true]);

        Assert.Equal(0, m.Count);
        Assert.Equal(1, m.SkippedNonFiniteScores);
        Assert.Null(m.Accuracy.Value);
        Assert.NotNull(m.LogLoss.Reason);
    }

    [Fact]
    public void Multiclass_metrics_by_hand()
    {
        string[] labels = ["a", "b", "a", "c", "b", "a"];
        string[] predicted = ["a", "a", "a", "c", "c", "b"];

        var m = MulticlassClassification.Evaluate(predicted, labels);

        Assert.Equal(["a", "b", "c"], m.Classes);
        Assert.Equal(3.0 / 6, m.Accuracy.Value);
        // a: P 2/3 R 2/3 F1 2/3; b: P 0 R 0 F1 0; c: P 1/2 R 1 F1 2/3.
        Assert.Equal((2.0 / 3 + 0 + 2.0 / 3) / 3, m.MacroF1.Value!.Value, 15);
        Assert.Equal((2.0 / 3 * 3 + 0 * 2 + 2.0 / 3 * 1) / 6, m.WeightedF1.Value!.Value, 15);
        Assert.Equal([2L, 1L, 0L], m.Confusion[0]);
        Assert.Equal(3, m.PerClass[0].Support);
    }

    [Fact]
    public void Regression_metrics_by_hand()
    {
        double[] labels = [1, 2, 0, 4];
        double[] predicted = [2, 2, 1, 2];

        var m = Regression.Evaluate(predicted, labels);

        Assert.Equal(1.0, m.MeanAbsoluteError.Value);
        Assert.Equal(Math.Sqrt(6.0 / 4), m.RootMeanSquaredError.Value);
        Assert.Equal((1.0 + 0 + 0.5) / 3, m.MeanAbsolutePercentageError.Value!.Value, 15);
        Assert.Equal(1, m.MapeSkippedZeroLabels);
        Assert.Equal(1 - 6.0 / 8.75, m.R2.Value!.Value, 15);
    }

    [Fact]
    public void R2_of_constant_labels_is_undefined_with_a_reason()
    {
        var m = Regression.Evaluate([1, 2, 3], [2, 2, 2]);

        Assert.Null(m.R2.Value);
        Assert.Contains("do not vary", m.R2.Reason);
    }

    [Fact]
    public void MAPE_with_only_zero_labels_is_undefined()
    {
        var m = Regression.Evaluate([1, 2], [0, 0]);

        Assert.Null(m.MeanAbsolutePercentageError.Value);
        Assert.Equal(2, m.MapeSkippedZeroLabels);
    }
}
