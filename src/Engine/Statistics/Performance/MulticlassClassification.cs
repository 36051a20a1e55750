namespace ModelWatch.Engine.Statistics.Performance;

/// <summary>Per-class figures; <see cref="Support"/> is the number of labels of that class.</summary>
public sealed record ClassMetrics(string Class, MetricValue Precision, MetricValue Recall, MetricValue F1, long Support);

/// <summary>
/// Multiclass metrics over the sorted (ordinal) union of label and predicted classes, as sklearn's unique_labels.
/// <see cref="Confusion"/>[i][j] counts labels of class i predicted as class j.
/// </summary>
public sealed record MulticlassClassificationMetrics(
    long Count,
    MetricValue Accuracy,
    MetricValue MacroF1,
    MetricValue WeightedF1,
    IReadOnlyList<string> Classes,
    IReadOnlyList<ClassMetrics> PerClass,
    IReadOnlyList<IReadOnlyList<long>> Confusion);

public static class MulticlassClassification
{
    /// <summary>
    /// Macro and weighted F1 count an undefined per-class figure as 0, like sklearn's zero_division=0, so a class
    /// that was predicted but never labelled pulls the macro average down.
    /// </summary>
    public static MulticlassClassificationMetrics Evaluate(IReadOnlyList<string> predicted, IReadOnlyList<string> labels)
    {
        if (predicted.Count != labels.Count)
        {
            throw new ArgumentException($"{predicted.Count} predictions but {labels.Count} labels.", nameof(labels));
        }

        var classes = labels.Concat(predicted).Distinct().Order(StringComparer.Ordinal).ToArray();
        var index = classes.Select((c, i) => (c, i)).ToDictionary(p => p.c, p => p.i, StringComparer.Ordinal);
        var confusion = new long[classes.Length][];
        for (var i = 0; i < classes.Length; i++) confusion[i] = new long[classes.Length];
        long correct = 0;
        for (var i = 0; i < labels.Count; i++)
        {
            confusion[index[labels[i]]][index[predicted[i]]]++;
            if (string.Equals(labels[i], predicted[i], StringComparison.Ordinal)) correct++;
        }

        long n = labels.Count;
        if (n == 0)
        {
            var none = MetricValue.Undefined("There are no labelled predictions.");
            return new MulticlassClassificationMetrics(0, none, none, none, [], [], []);
        }

        var perClass = new ClassMetrics[classes.Length];
        double macro = 0, weighted = 0;
        for (var k = 0; k < classes.Length; k++)
        {
            var tp = confusion[k][k];
            var support = confusion[k].Sum();
            var predictedCount = confusion.Sum(row => row[k]);
            var f1 = 2.0 * tp / (support + predictedCount); // > 0 denominator: the class occurs somewhere
            perClass[k] = new ClassMetrics(
                classes[k],
                MetricValue.Ratio(tp, predictedCount, $"Precision of '{classes[k]}' is undefined: it was never predicted."),
                MetricValue.Ratio(tp, support, $"Recall of '{classes[k]}' is undefined: it never occurs in the labels."),
                MetricValue.Of(f1),
                support);
            macro += f1;
            weighted += f1 * support;
        }

        return new MulticlassClassificationMetrics(
            n,
            MetricValue.Of((double)correct / n),
            MetricValue.Of(macro / classes.Length),
            MetricValue.Of(weighted / n),
            classes,
            perClass,
            confusion);
    }
}
