using System.Globalization;
using ModelWatch.Engine.Registry;
using ModelWatch.Engine.Statistics.Drift;

namespace ModelWatch.Engine.Windows;

/// <summary>
/// Compares a merged bucket with a reference, feature by feature and for the predictions, each feature under its own
/// thresholds. Numerical histograms share the layout's edges, which come from the model's baseline.
/// </summary>
internal sealed class DriftComparer(BucketLayout layout, IDriftReference? reference, DriftSettings settings)
{
    private const string NoReference = "No reference baseline yet: upload one with POST /api/v1/models/{id}/versions/{version}/reference.";

    private readonly DriftPolicy _policy = settings.ModelPolicy();

    public DriftPolicy Policy => _policy;

    public IDriftReference? Reference => reference;

    public string ReferenceName => reference?.Name ?? "no reference baseline";

    public IReadOnlyList<FeatureDrift> Features(MinuteBucket current, bool withDistribution)
    {
        var features = layout.Model.Features;
        var result = new List<FeatureDrift>(features.Count);
        for (var i = 0; i < features.Count; i++)
            result.Add(features[i].Type == FeatureType.Numerical ? Numerical(features[i].Name, i, current, withDistribution) : Categorical(features[i].Name, i, current, withDistribution));
        return result;
    }

    public FeatureDrift? Prediction(MinuteBucket current, bool withDistribution)
    {
        if (layout.Model.Task == ModelTask.MulticlassClassification)
        {
            var referenceClasses = reference?.CategoryCounts(ReferenceSample.PredictionColumn);
            if (referenceClasses is null || referenceClasses.Total == 0) return Missing("prediction", "categorical", current.Predictions);
            return FromCategorical("prediction", CategoricalDrift.Compare(referenceClasses, CategoryCounts.From(current.PredictionClasses), _policy), referenceClasses, current.PredictionClasses, withDistribution);
        }
        if (current.PredictionHistogram is null || reference is null) return Missing("prediction", "numerical", current.PredictionNumbers);
        if (reference.Histogram(ReferenceSample.PredictionColumn, current.PredictionHistogram.Edges) is not { } referenceHistogram)
            return Missing("prediction", "numerical", current.PredictionNumbers, "The reference has no predictions to compare with.");
        return FromNumerical("prediction", BinnedDrift.Compare(referenceHistogram, current.PredictionHistogram, _policy), referenceHistogram, current.PredictionHistogram, withDistribution);
    }

    private FeatureDrift Numerical(string name, int ordinal, MinuteBucket current, bool withDistribution)
    {
        var histogram = current.Numerical(ordinal);
        if (reference is null) return Missing(name, "numerical", current.Quality(ordinal).Rows);
        if (histogram is null)
            return Missing(name, "numerical", current.Quality(ordinal).Rows, "Bin edges come from the model's uploaded baseline; upload one to measure this feature's drift.");
        var referenceHistogram = reference.Histogram(ordinal, histogram.Edges);
        if (referenceHistogram is null)
            return Missing(name, "numerical", histogram.Count, "The reference has no numeric values for this feature.");
        return FromNumerical(name, BinnedDrift.Compare(referenceHistogram, histogram, settings.FeaturePolicy(_policy, name)), referenceHistogram, histogram, withDistribution);
    }

    private FeatureDrift Categorical(string name, int ordinal, MinuteBucket current, bool withDistribution)
    {
        var counts = current.Categorical(ordinal);
        if (counts is null || reference is null) return Missing(name, "categorical", current.Quality(ordinal).Rows);
        var referenceCounts = reference.CategoryCounts(ordinal);
        return FromCategorical(name, CategoricalDrift.Compare(referenceCounts, CategoryCounts.From(counts), settings.FeaturePolicy(_policy, name)), referenceCounts, counts, withDistribution);
    }

    private static FeatureDrift FromNumerical(string name, NumericalDriftResult r, FixedBinHistogram reference, FixedBinHistogram current, bool withDistribution) =>
        new(name, "numerical", DriftNames.Of(r.Method), r.Value, r.Threshold, r.Drifted, r.ReferenceSize, r.CurrentSize, r.Ks?.PValue,
            r.Psi, r.PsiBand?.ToString().ToLowerInvariant(), r.JensenShannon, r.WassersteinNormalized, r.Approximate, r.Reason,
            withDistribution ? Distribution(reference, current) : null);

    private static FeatureDrift FromCategorical(string name, CategoricalDriftResult r, CategoryCounts reference, IReadOnlyDictionary<string, long> current, bool withDistribution) =>
        new(name, "categorical", DriftNames.Of(r.Method), r.Value, r.Threshold, r.Drifted, r.ReferenceSize, r.CurrentSize, r.ChiSquare?.PValue,
            r.Psi, r.PsiBand?.ToString().ToLowerInvariant(), r.JensenShannon, null, false, r.Reason,
            withDistribution ? Distribution(reference, current) : null);

    private FeatureDrift Missing(string name, string type, long currentSize, string? reason = null) =>
        new(name, type, "none", null, 0, false, 0, currentSize, null, null, null, null, null, false,
            reason ?? NoReference.Replace("{id}", layout.Model.Id, StringComparison.Ordinal), null);


    private static DistributionComparison Distribution(FixedBinHistogram reference, FixedBinHistogram current) =>
        new(BinLabels.GetValue(reference.Edges, Labels), Shares(reference.Counts), Shares(current.Counts));

    // Bin labels depend only on the edges, which live as long as the model's layout.
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

    private static DistributionComparison Distribution(CategoryCounts reference, IReadOnlyDictionary<string, long> current)
    {
        var labels = reference.Categories.Union(current.Keys).Order(StringComparer.Ordinal).ToList();
        double referenceTotal = Math.Max(1, reference.Total), currentTotal = Math.Max(1, current.Values.Sum());
        return new DistributionComparison(labels,
            labels.Select(l => reference.CountOf(l) / referenceTotal).ToList(),
            labels.Select(l => current.GetValueOrDefault(l) / currentTotal).ToList());
    }

    private static List<double> Shares(IReadOnlyList<long> counts)
    {
        double total = Math.Max(1, counts.Sum());
        return counts.Select(c => c / total).ToList();
    }

    private static string Format(double value) => Math.Abs(value) >= 1000 || value == Math.Round(value)
        ? value.ToString("0.#", CultureInfo.InvariantCulture)
        : value.ToString("0.###", CultureInfo.InvariantCulture);
}
