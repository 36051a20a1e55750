using ModelWatch.Engine.Statistics.Performance;

namespace ModelWatch.Engine.Windows;

/// <summary>Turns accumulated counts into the metrics users know from scikit-learn; undefined metrics are null.</summary>
internal static class PerformanceReport
{
    public static BinaryPerformance Binary(PerformanceAccumulator a, double threshold)
    {
        long tn = a.TrueNegatives, fp = a.FalsePositives, fn = a.FalseNegatives, tp = a.TruePositives;
        var n = tn + fp + fn + tp;
        double? precision = tp + fp == 0 ? null : (double)tp / (tp + fp);
        double? recall = tp + fn == 0 ? null : (double)tp / (tp + fn);
        double? f1 = 2 * tp + fp + fn == 0 ? null : 2.0 * tp / (2 * tp + fp + fn);
        double? specificity = tn + fp == 0 ? null : (double)tn / (tn + fp);
        double? balanced = recall is { } r && specificity is { } sp ? (r + sp) / 2 : null;
        // Balanced accuracy is a mean of two proportions; averaging their Wilson ends gives a conservative interval.
        var recallInterval = WilsonInterval.Of(tp, tp + fn);
        var specificityInterval = WilsonInterval.Of(tn, tn + fp);
        var balancedInterval = recallInterval is { } ri && specificityInterval is { } si ? new ConfidenceInterval((ri.Low + si.Low) / 2, (ri.High + si.High) / 2, "wilson-mean") : null;
        return new BinaryPerformance(threshold, n == 0 ? null : (double)(tp + tn) / n, precision, recall, f1,
            RocAuc(a.PositiveScores, a.NegativeScores), n == 0 ? null : a.LogLossSum / n, tn, fp, fn, tp,
            balanced, WilsonInterval.Of(tp + tn, n), WilsonInterval.Of(tp, tp + fp), recallInterval, balancedInterval);
    }

    /// <summary>Mann–Whitney form of AUC over score bins: P(score⁺ &gt; score⁻) + ½ P(same bin).</summary>
    private static double? RocAuc(IReadOnlyList<long>? positives, IReadOnlyList<long>? negatives)
    {
        if (positives is null || negatives is null) return null; // AUC needs both classes
        double positiveTotal = 0, negativeTotal = 0, wins = 0, negativesBelow = 0;
        for (var i = 0; i < positives.Count; i++)
        {
            wins += positives[i] * (negativesBelow + 0.5 * negatives[i]);
            negativesBelow += negatives[i];
            positiveTotal += positives[i];
            negativeTotal += negatives[i];
        }
        return positiveTotal == 0 || negativeTotal == 0 ? null : wins / (positiveTotal * negativeTotal);
    }

    public static MulticlassPerformance Multiclass(PerformanceAccumulator a)
    {
        var confusion = a.Confusion;
        var classes = confusion.Keys.SelectMany(k => new[] { k.Label, k.Predicted }).Distinct().Order(StringComparer.Ordinal).ToList();
        var matrix = classes.Select(label => (IReadOnlyList<long>)classes.Select(predicted => confusion.GetValueOrDefault((label, predicted))).ToList()).ToList();
        var total = confusion.Values.Sum();
        var perClass = new List<ClassPerformance>(classes.Count);
        for (var i = 0; i < classes.Count; i++)
        {
            long tp = matrix[i][i], support = matrix[i].Sum(), predicted = matrix.Sum(row => row[i]);
            double? precision = predicted == 0 ? null : (double)tp / predicted;
            double? recall = support == 0 ? null : (double)tp / support;
            // scikit-learn sets an undefined precision/recall to 0 inside F1 (zero_division=0)
            double p = precision ?? 0, r = recall ?? 0;
            perClass.Add(new ClassPerformance(classes[i], precision, recall, p + r == 0 ? 0 : 2 * p * r / (p + r), support));
        }
        var correct = classes.Select((_, i) => matrix[i][i]).Sum();
        return new MulticlassPerformance(
            total == 0 ? null : (double)correct / total,
            perClass.Count == 0 ? null : perClass.Average(c => c.F1 ?? 0),
            total == 0 ? null : perClass.Sum(c => (c.F1 ?? 0) * c.Support) / total,
            perClass, classes, matrix, WilsonInterval.Of(correct, total));
    }

    public static RegressionPerformance Regression(PerformanceAccumulator a, DistributionComparison? residuals)
    {
        var n = a.Count;
        if (n == 0) return new RegressionPerformance(null, null, null, 0, null, residuals);
        var mean = a.LabelSum / n;
        var totalSquares = a.LabelSquareSum - n * mean * mean;
        return new RegressionPerformance(
            a.AbsoluteErrorSum / n,
            Math.Sqrt(a.SquaredErrorSum / n),
            a.PercentageCount == 0 ? null : a.PercentageErrorSum / a.PercentageCount,
            a.ZeroLabels,
            totalSquares <= 1e-12 * Math.Max(1, a.LabelSquareSum) ? null : 1 - a.SquaredErrorSum / totalSquares,
            residuals);
    }

    public const string Accuracy = "accuracy", BalancedAccuracy = "balancedAccuracy", F1 = "f1", MacroF1 = "macroF1", Mae = "mae";

    /// <summary>The metrics a model's headline may be set to, per task (Portal:Metrics:Headline).</summary>
    public static IReadOnlyList<string> HeadlineChoices(Registry.ModelTask task) => task switch
    {
        Registry.ModelTask.BinaryClassification => [Accuracy, BalancedAccuracy, F1],
        Registry.ModelTask.MulticlassClassification => [Accuracy, MacroF1],
        _ => [Mae],
    };

    /// <summary>
    /// The model's headline metric: the configured one, else accuracy, except balanced accuracy for a binary model whose
    /// labels are imbalanced (accuracy stays high while the minority class is missed).
    /// </summary>
    public static string HeadlineFor(Registry.ModelDefinition model, PerformanceAccumulator a, MetricOptions options)
    {
        if (options.Headline.TryGetValue(model.Id, out var chosen) && HeadlineChoices(model.Task).Contains(chosen)) return chosen;
        if (model.Task == Registry.ModelTask.Regression) return Mae;
        if (model.Task != Registry.ModelTask.BinaryClassification) return Accuracy;
        var n = a.TrueNegatives + a.FalsePositives + a.FalseNegatives + a.TruePositives;
        if (n == 0) return Accuracy;
        var positiveShare = (double)(a.TruePositives + a.FalseNegatives) / n;
        return Math.Min(positiveShare, 1 - positiveShare) < options.ImbalancedShare ? BalancedAccuracy : Accuracy;
    }

    /// <summary>The headline value and its interval, or nulls below the minimum of labelled events.</summary>
    public static (string Metric, double? Value, ConfidenceInterval? Interval) Headline(Registry.ModelDefinition model, PerformanceAccumulator a, MetricOptions options)
    {
        var metric = HeadlineFor(model, a, options);
        if (a.Count < options.MinimumLabels) return (metric, null, null);
        switch (model.Task)
        {
            case Registry.ModelTask.BinaryClassification:
                var b = Binary(a, model.DecisionThreshold);
                return metric switch
                {
                    BalancedAccuracy => (metric, b.BalancedAccuracy, b.BalancedAccuracyInterval),
                    F1 => (metric, b.F1, null),
                    _ => (metric, b.Accuracy, b.AccuracyInterval),
                };
            case Registry.ModelTask.MulticlassClassification:
                var m = Multiclass(a);
                return metric == MacroF1 ? (metric, m.MacroF1, null) : (metric, m.Accuracy, m.AccuracyInterval);
            default:
                return (metric, a.Count == 0 ? null : a.AbsoluteErrorSum / a.Count, null);
        }
    }
}
