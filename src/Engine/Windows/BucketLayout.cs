using ModelWatch.Engine.Registry;
using ModelWatch.Engine.Statistics.Drift;

namespace ModelWatch.Engine.Windows;

/// <summary>
/// The fixed bin edges every minute bucket of a model uses, taken from the model's baseline reference, so buckets
/// merge by adding counts. A new baseline means new edges, and the buckets are rebuilt from stored events.
/// </summary>
public sealed class BucketLayout
{
    /// <summary>Quantile bins per numerical feature: fine enough for drift, small enough to keep a week of buckets.</summary>
    public const int FeatureBins = 40;
    public const int ResidualBins = 20;

    private BucketLayout(ModelDefinition model, ReferenceSample? baseline)
    {
        Model = model;
        Baseline = baseline;
        FeatureEdges = model.Features.Select((f, i) => f.Type == FeatureType.Numerical && baseline is not null
            ? BinEdges.FromReference(baseline.Numbers(i).ToArray(), FeatureBins)
            : null).ToArray();
        PredictionEdges = model.Task != ModelTask.MulticlassClassification && baseline is { PredictionNumbers.Count: > 0 }
            ? BinEdges.FromReference(baseline.PredictionNumbers.ToArray(), FeatureBins)
            : null;
        ResidualEdges = baseline is { Residuals.Count: > 1 } ? EqualWidth(baseline.Residuals) : null;
    }

    public ModelDefinition Model { get; }
    public ReferenceSample? Baseline { get; }
    public IReadOnlyList<BinEdges?> FeatureEdges { get; }
    public BinEdges? PredictionEdges { get; }
    public BinEdges? ResidualEdges { get; }

    public static BucketLayout For(ModelDefinition model, ReferenceSample? baseline) => new(model, baseline);

    private static BinEdges? EqualWidth(IReadOnlyList<double> values)
    {
        double min = values.Min(), max = values.Max();
        if (!(max > min)) return null;
        return BinEdges.FromValues(Enumerable.Range(0, ResidualBins + 1).Select(i => min + (max - min) * i / ResidualBins));
    }
}
