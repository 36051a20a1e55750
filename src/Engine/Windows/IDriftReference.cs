using ModelWatch.Engine.Statistics.Drift;
using ModelWatch.Engine.Statistics.Sketches;

namespace ModelWatch.Engine.Windows;

/// <summary>What drift is measured against, column by column: an uploaded baseline or an earlier production window.</summary>
public interface IDriftReference
{
    /// <summary>How the panels name it, e.g. "baseline of version 1.3.0 (2000 rows)".</summary>
    string Name { get; }

    /// <summary>The reference column as a sketch; null when it has no values. Columns are feature ordinals, or
    /// <see cref="ReferenceSample.PredictionColumn"/> / <see cref="ReferenceSample.ResidualColumn"/>.</summary>
    NumericSketch? Sketch(int column);

    /// <summary>The reference-quantile bin edges of a numerical column (the chart's and the window PSI's bins).</summary>
    BinEdges? QuantileEdges(int column);

    /// <summary>Category counts of a categorical column or of the predicted classes.</summary>
    CappedCounts CategoryTally(int column);
}

/// <summary>An earlier production window of the model, merged from its buckets, used as the reference.</summary>
internal sealed class WindowReference(MinuteBucket window, DateTimeOffset from, DateTimeOffset to) : IDriftReference
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<int, BinEdges?> _edges = new();

    public string Name => window.Predictions == 0
        ? $"production window {from:yyyy-MM-dd HH:mm} – {to:yyyy-MM-dd HH:mm} UTC (no predictions: choose a window with traffic)"
        : $"production window {from:yyyy-MM-dd HH:mm} – {to:yyyy-MM-dd HH:mm} UTC ({window.Predictions:N0} predictions)";

    public NumericSketch? Sketch(int column)
    {
        var sketch = column switch
        {
            ReferenceSample.PredictionColumn => window.PredictionSketch,
            ReferenceSample.ResidualColumn => window.ResidualSketch,
            _ => window.Numerical(column),
        };
        return sketch is { Count: > 0 } ? sketch : null;
    }

    public BinEdges? QuantileEdges(int column) => _edges.GetOrAdd(column, c => Sketch(c) is { } s ? SketchDrift.EdgesOf(s) : null);

    public CappedCounts CategoryTally(int column) =>
        column == ReferenceSample.PredictionColumn ? window.PredictionClasses : window.Categorical(column) ?? new CappedCounts(window.Limits.MaxCategoriesPerFeature);
}
