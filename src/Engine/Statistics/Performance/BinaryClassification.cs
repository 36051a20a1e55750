namespace ModelWatch.Engine.Statistics.Performance;

public sealed record BinaryConfusionMatrix(long TrueNegatives, long FalsePositives, long FalseNegatives, long TruePositives);

/// <summary>Binary metrics with scikit-learn's definitions; <see cref="Count"/> is the number of (score, label) pairs used.</summary>
public sealed record BinaryClassificationMetrics(
    long Count,
    long SkippedNonFiniteScores,
    double Threshold,
    MetricValue Accuracy,
    MetricValue Precision,
    MetricValue Recall,
    MetricValue F1,
    MetricValue RocAuc,
    MetricValue LogLoss,
    BinaryConfusionMatrix Confusion);

public static class BinaryClassification
{
    /// <summary>sklearn's log_loss clips probabilities to [eps, 1 − eps] with eps the float64 machine epsilon.</summary>
    public const double LogLossEpsilon = 2.220446049250313e-16;

    /// <summary>
    /// Metrics for scores (probability of the positive class) against labels (true = positive). A score at or above
    /// <paramref name="threshold"/> predicts positive. Pairs whose score is NaN or infinite are skipped and counted.
    /// </summary>
    public static BinaryClassificationMetrics Evaluate(
        ReadOnlySpan<double> scores, ReadOnlySpan<bool> labels, double threshold = 0.5)
    {
        if (scores.Length != labels.Length)
        {
            throw new ArgumentException($"{scores.Length} scores but {labels.Length} labels.", nameof(labels));
        }

        var used = new List<(double Score, bool Label)>(scores.Length);
        long tn = 0, fp = 0, fn = 0, tp = 0;
        var logLoss = 0.0;
        for (var i = 0; i < scores.Length; i++)
        {
            var s = scores[i];
            if (!double.IsFinite(s)) continue;
            used.Add((s, labels[i]));
            var predicted = s >= threshold;
            if (labels[i]) { if (predicted) tp++; else fn++; }
            else { if (predicted) fp++; else tn++; }

            var p = Math.Clamp(s, LogLossEpsilon, 1 - LogLossEpsilon);
            logLoss -= labels[i] ? Math.Log(p) : Math.Log(1 - p);
        }

        long n = used.Count;
        var confusion = new BinaryConfusionMatrix(tn, fp, fn, tp);
        var skipped = scores.Length - n;
        if (n == 0)
        {
            var none = MetricValue.Undefined("There are no labelled predictions with a finite score.");
            return new BinaryClassificationMetrics(0, skipped, threshold, none, none, none, none, none, none, confusion);
        }

        return new BinaryClassificationMetrics(
            n,
            skipped,
            threshold,
            MetricValue.Of((double)(tp + tn) / n),
            MetricValue.Ratio(tp, tp + fp, "Precision is undefined: nothing was predicted positive."),
            MetricValue.Ratio(tp, tp + fn, "Recall is undefined: no label is positive."),
            MetricValue.Ratio(2.0 * tp, 2 * tp + fp + fn, "F1 is undefined: no positive labels or predictions."),
            RocAuc(used, tp + fn, tn + fp),
            MetricValue.Of(logLoss / n),
            confusion);
    }

    /// <summary>
    /// Area under the ROC curve as the Mann–Whitney U statistic with mid-ranks for tied scores, which equals
    /// sklearn's trapezoidal area (ties become diagonal segments).
    /// </summary>
    private static MetricValue RocAuc(List<(double Score, bool Label)> pairs, long positives, long negatives)
    {
        if (positives == 0 || negatives == 0)
        {
            return MetricValue.Undefined("ROC AUC needs both positive and negative labels.");
        }

        pairs.Sort((a, b) => a.Score.CompareTo(b.Score));
        var positiveRankSum = 0.0;
        for (var start = 0; start < pairs.Count;)
        {
            var end = start;
            long tiedPositives = 0;
            while (end < pairs.Count && pairs[end].Score == pairs[start].Score)
            {
                if (pairs[end].Label) tiedPositives++;
                end++;
            }

            // Ranks start+1 .. end share their mean.
            positiveRankSum += tiedPositives * (start + 1 + end) / 2.0;
            start = end;
        }

        var u = positiveRankSum - positives * (positives + 1) / 2.0;
        return MetricValue.Of(u / ((double)positives * negatives));
    }
}
