using ModelWatch.Engine.Statistics.Drift;

namespace ModelWatch.Engine.Windows;

/// <summary>What drift is measured against, column by column: an uploaded baseline or an earlier production window.</summary>
public interface IDriftReference
{
    /// <summary>How the panels name it, e.g. "baseline of version 1.3.0 (2000 rows)".</summary>
    string Name { get; }

    /// <summary>The reference column on the layout's edges; null when it has no values. Columns are feature
    /// ordinals, or <see cref="ReferenceSample.PredictionColumn"/> / <see cref="ReferenceSample.ResidualColumn"/>.</summary>
    FixedBinHistogram? Histogram(int column, BinEdges edges);

    /// <summary>Category counts of a categorical column or of the predicted classes.</summary>
    CategoryCounts CategoryCounts(int column);
}

/// <summary>An earlier production window of the model, merged from its buckets, used as the reference.</summary>
internal sealed class WindowReference(MinuteBucket window, DateTimeOffset from, DateTimeOffset to) : IDriftReference
{
    public string Name => window.Predictions == 0
        ? $"production window {from:yyyy-MM-dd HH:mm} – {to:yyyy-MM-dd HH:mm} UTC (no predictions: choose a window with traffic)"
        : $"production window {from:yyyy-MM-dd HH:mm} – {to:yyyy-MM-dd HH:mm} UTC ({window.Predictions:N0} predictions)";

    public FixedBinHistogram? Histogram(int column, BinEdges edges)
    {
        var histogram = column switch
        {
            ReferenceSample.PredictionColumn => window.PredictionHistogram,
            ReferenceSample.ResidualColumn => window.ResidualHistogram,
            _ => window.Numerical(column),
        };
        return histogram is { Count: > 0 } && histogram.Edges.Equals(edges) ? histogram : null;
    }

    public CategoryCounts CategoryCounts(int column) => Statistics.Drift.CategoryCounts.From(
        column == ReferenceSample.PredictionColumn ? window.PredictionClasses : window.Categorical(column) ?? new Dictionary<string, long>());
}
