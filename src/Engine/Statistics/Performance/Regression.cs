namespace ModelWatch.Engine.Statistics.Performance;

/// <summary>
/// Regression metrics as scikit-learn. MAPE is a fraction (0.1 = 10 %) over the pairs whose label is not zero;
/// how many were skipped is reported. Pairs with a NaN or infinite value are skipped and counted.
/// </summary>
public sealed record RegressionMetrics(
    long Count,
    long SkippedNonFinite,
    MetricValue MeanAbsoluteError,
    MetricValue RootMeanSquaredError,
    MetricValue MeanAbsolutePercentageError,
    long MapeSkippedZeroLabels,
    MetricValue R2);

public static class Regression
{
    public static RegressionMetrics Evaluate(ReadOnlySpan<double> predicted, ReadOnlySpan<double> labels)
    {
        if (predicted.Length != labels.Length)
        {
            throw new ArgumentException($"{predicted.Length} predictions but {labels.Length} labels.", nameof(labels));
        }

        long n = 0, zeroLabels = 0, percentageCount = 0;
        double absolute = 0, squared = 0, percentage = 0, labelSum = 0;
        for (var i = 0; i < labels.Length; i++)
        {
            double y = labels[i], p = predicted[i];
            if (!double.IsFinite(y) || !double.IsFinite(p)) continue;
            n++;
            var error = y - p;
            absolute += Math.Abs(error);
            squared += error * error;
            labelSum += y;
            if (y == 0) zeroLabels++;
            else
            {
                percentage += Math.Abs(error) / Math.Abs(y);
                percentageCount++;
            }
        }

        var skipped = labels.Length - n;
        if (n == 0)
        {
            var none = MetricValue.Undefined("There are no labelled predictions with finite values.");
            return new RegressionMetrics(0, skipped, none, none, none, zeroLabels, none);
        }

        return new RegressionMetrics(
            n,
            skipped,
            MetricValue.Of(absolute / n),
            MetricValue.Of(Math.Sqrt(squared / n)),
            MetricValue.Ratio(percentage, percentageCount, "MAPE is undefined: every label is zero."),
            zeroLabels,
            R2(predicted, labels, n, labelSum / n, squared));
    }

    private static MetricValue R2(ReadOnlySpan<double> predicted, ReadOnlySpan<double> labels, long n, double mean, double residual)
    {
        if (n < 2)
        {
            return MetricValue.Undefined("R² needs at least two labelled predictions.");
        }

        var total = 0.0;
        for (var i = 0; i < labels.Length; i++)
        {
            if (!double.IsFinite(labels[i]) || !double.IsFinite(predicted[i])) continue;
            var delta = labels[i] - mean;
            total += delta * delta;
        }

        return total == 0
            ? MetricValue.Undefined("R² is undefined: the labels do not vary.")
            : MetricValue.Of(1 - residual / total);
    }
}
