using System.Globalization;
using ModelWatch.Engine.Registry;
using ModelWatch.Engine.Statistics.Drift;
using ModelWatch.Engine.Statistics.Sketches;

namespace ModelWatch.Engine.Windows;

/// <summary>
/// Compares a merged bucket with a reference, feature by feature and for the predictions, each feature under its own
/// thresholds. The buckets hold baseline-independent sketches; they are re-binned against the reference here, at read
/// time, so a new reference or a production promotion changes no bucket.
/// </summary>
internal sealed class DriftComparer(ModelDefinition model, IDriftReference? reference, DriftSettings settings, int maxCategories = BucketLimits.DefaultMaxCategoriesPerFeature)
{
    private const string NoReference = "No reference baseline yet: upload one with POST /api/v1/models/{id}/versions/{version}/reference.";

    private readonly DriftPolicy _policy = settings.ModelPolicy();

    public DriftPolicy Policy => _policy;

    public IDriftReference? Reference => reference;

    public string ReferenceName => reference?.Name ?? "no reference baseline";

    public IReadOnlyList<FeatureDrift> Features(MinuteBucket current, bool withDistribution)
    {
        var features = model.Features;
        var result = new List<FeatureDrift>(features.Count);
        for (var i = 0; i < features.Count; i++)
            result.Add(features[i].Type == FeatureType.Numerical ? Numerical(features[i].Name, i, current, withDistribution) : Categorical(features[i].Name, i, current, withDistribution));
        return result;
    }

    public FeatureDrift? Prediction(MinuteBucket current, bool withDistribution)
    {
        if (model.Task == ModelTask.MulticlassClassification)
        {
            var referenceClasses = reference?.CategoryTally(ReferenceSample.PredictionColumn);
            if (referenceClasses is null || referenceClasses.Total == 0) return Missing("prediction", "categorical", current.Predictions);
            return FromCategorical("prediction", referenceClasses, current.PredictionClasses, _policy, withDistribution);
        }
        if (reference is null) return Missing("prediction", "numerical", current.PredictionNumbers);
        if (reference.Sketch(ReferenceSample.PredictionColumn) is not { } referenceSketch)
            return Missing("prediction", "numerical", current.PredictionNumbers, "The reference has no predictions to compare with.");
        return FromNumerical("prediction", SketchDrift.Compare(referenceSketch, current.PredictionSketch, reference.QuantileEdges(ReferenceSample.PredictionColumn), _policy), withDistribution);
    }

    /// <summary>Residuals of the window against the reference's, on the reference's quantile bins; null without both.</summary>
    public DistributionComparison? Residuals(MinuteBucket current)
    {
        if (current.ResidualSketch.Count == 0 || reference?.Sketch(ReferenceSample.ResidualColumn) is not { } referenceSketch) return null;
        var comparison = SketchDrift.Compare(referenceSketch, current.ResidualSketch, reference.QuantileEdges(ReferenceSample.ResidualColumn));
        return comparison.Edges is null ? null : new DistributionComparison(BinLabels.GetValue(comparison.Edges, Labels), comparison.ReferenceShares, comparison.CurrentShares);
    }

    private FeatureDrift Numerical(string name, int ordinal, MinuteBucket current, bool withDistribution)
    {
        var sketch = current.Numerical(ordinal) ?? Empty;
        if (reference is null) return Missing(name, "numerical", current.Quality(ordinal).Rows);
        if (reference.Sketch(ordinal) is not { } referenceSketch)
            return Missing(name, "numerical", sketch.Count, "The reference has no numeric values for this feature.");
        return FromNumerical(name, SketchDrift.Compare(referenceSketch, sketch, reference.QuantileEdges(ordinal), settings.FeaturePolicy(_policy, name)), withDistribution);
    }

    private static readonly NumericSketch Empty = new();

    private FeatureDrift Categorical(string name, int ordinal, MinuteBucket current, bool withDistribution)
    {
        var counts = current.Categorical(ordinal) ?? new CappedCounts(maxCategories);
        if (reference is null) return Missing(name, "categorical", current.Quality(ordinal).Rows);
        return FromCategorical(name, reference.CategoryTally(ordinal), counts, settings.FeaturePolicy(_policy, name), withDistribution);
    }

    private static FeatureDrift FromNumerical(string name, SketchComparison comparison, bool withDistribution)
    {
        var r = comparison.Result;
        return new(name, "numerical", DriftNames.Of(r.Method), r.Value, r.Threshold, r.Drifted, r.ReferenceSize, r.CurrentSize, r.Ks?.PValue,
            r.Psi, r.PsiBand?.ToString().ToLowerInvariant(), r.JensenShannon, r.WassersteinNormalized, r.Approximate, r.Reason,
            withDistribution && comparison.Edges is { } edges ? new DistributionComparison(BinLabels.GetValue(edges, Labels), comparison.ReferenceShares, comparison.CurrentShares) : null,
            r.Ks?.Statistic, r.Psi is null ? null : SketchDrift.Binning);
    }

    private FeatureDrift FromCategorical(string name, CappedCounts referenceTally, CappedCounts currentTally, DriftPolicy policy, bool withDistribution)
    {
        var (referenceCounts, currentCounts) = CategoryAlignment.Align(referenceTally, currentTally, maxCategories);
        var r = CategoricalDrift.Compare(referenceCounts, currentCounts, policy);
        return new(name, "categorical", DriftNames.Of(r.Method), r.Value, r.Threshold, r.Drifted, r.ReferenceSize, r.CurrentSize, r.ChiSquare?.PValue,
            r.Psi, r.PsiBand?.ToString().ToLowerInvariant(), r.JensenShannon, null, referenceTally.Other + currentTally.Other > 0, r.Reason,
            withDistribution ? Distribution(referenceCounts, currentCounts) : null, null, r.Psi is null ? null : "categories");
    }

    private FeatureDrift Missing(string name, string type, long currentSize, string? reason = null) =>
        new(name, type, "none", null, 0, false, 0, currentSize, null, null, null, null, null, false,
            reason ?? NoReference.Replace("{id}", model.Id, StringComparison.Ordinal), null);

    // Bin labels depend only on the edges, which live as long as the reference.
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<BinEdges, IReadOnlyList<string>> BinLabels = new();

    private static IReadOnlyList<string> Labels(BinEdges binEdges)
    {
        var edges = binEdges.Values;
        var labels = new List<string>(binEdges.BinCount);
        for (var i = 0; i < binEdges.BinCount; i++)
        {
            labels.Add(i == 0 ? $"< {Format(edges[0])}"
                : i == binEdges.BinCount - 1 ? $"> {Format(edges[^1])}"
                : edges.Count == 1 ? $"= {Format(edges[0])}"
                : $"{Format(edges[i - 1])} – {Format(edges[i])}");
        }
        return labels;
    }

    private static DistributionComparison Distribution(CategoryCounts reference, CategoryCounts current)
    {
        var labels = reference.Categories.Union(current.Categories).Order(StringComparer.Ordinal).ToList();
        double referenceTotal = Math.Max(1, reference.Total), currentTotal = Math.Max(1, current.Total);
        return new DistributionComparison(labels,
            labels.Select(l => reference.CountOf(l) / referenceTotal).ToList(),
            labels.Select(l => current.CountOf(l) / currentTotal).ToList());
    }

    private static string Format(double value) => Math.Abs(value) >= 1000 || value == Math.Round(value)
        ? value.ToString("0.#", CultureInfo.InvariantCulture)
        : value.ToString("0.###", CultureInfo.InvariantCulture);
}
