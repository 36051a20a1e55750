using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using ModelWatch.Engine.Registry;
using ModelWatch.Engine.Statistics.Sketches;
using ModelWatch.Engine.Windows;

namespace ModelWatch.Engine.Alerting;

/// <summary>Mean and standard deviation of a metric over reference chunks: what a band learned from the reference allows.</summary>
public sealed record LearnedBand(double Mean, double StandardDeviation, int Chunks, string Reference);

/// <summary>
/// Bands learned from the reference, as NannyML does: the model's baseline is cut into equal, contiguous chunks, each
/// chunk is compared with the whole baseline the same way a production window is (same methods, same per-feature
/// settings), and the band is the mean ± k·σ of those values. The chunk values are cached per baseline and drift
/// settings, so a new reference, a promotion or a settings change learns afresh.
/// <para>The statistic depends on sample size: a chunk should hold about as many rows as the rule's window has events
/// (choose <c>chunks</c> accordingly). A model whose drift reference is a production window has no baseline to cut, so
/// such a rule reads "insufficient data".</para>
/// </summary>
public sealed class ReferenceBands(Baselines baselines, DriftSettingsStore settings)
{
    public const int MinChunks = 3;
    public const int MaxChunks = 50;
    public const int MinRowsPerChunk = 30;

    /// <summary>The series key of the non-feature signals (prediction drift, dataset drift).</summary>
    private const string Whole = "";

    public const string Learnable = "featureDrift value, predictionDrift value and datasetDrift share";

    public static bool CanLearn(string signal, string metric) => (signal, metric) switch
    {
        ("featureDrift" or "predictionDrift", "value") or ("datasetDrift", _) => true,
        _ => false,
    };

    private readonly ConditionalWeakTable<ReferenceSample, ConcurrentDictionary<(string Signal, int Chunks), Learned>> _cache = new();

    /// <summary>The band for one series of the rule on the model; null when the model has no baseline large enough to cut.</summary>
    public LearnedBand? For(AlertRule rule, ModelDefinition model, string? feature)
    {
        if (!rule.Condition.LearnsFromReference) return null;
        var modelSettings = settings.Get(model);
        if (modelSettings.Reference is { IsWindow: true }) return null;
        if (baselines.Baseline(model) is not { } reference) return null;
        var chunks = rule.Condition.Chunks;
        if (reference.Rows < chunks * MinRowsPerChunk) return null;

        var perSignal = _cache.GetValue(reference, _ => new());
        var learned = perSignal.AddOrUpdate((rule.Signal, chunks),
            _ => Learn(rule.Signal, model, reference, modelSettings, chunks),
            (_, cached) => ReferenceEquals(cached.Settings, modelSettings) ? cached : Learn(rule.Signal, model, reference, modelSettings, chunks));
        return learned.Bands.GetValueOrDefault(feature ?? Whole);
    }

    private static Learned Learn(string signal, ModelDefinition model, ReferenceSample reference, DriftSettings modelSettings, int chunks)
    {
        var comparer = new DriftComparer(model, reference, modelSettings);
        var values = new Dictionary<string, List<double>>(StringComparer.Ordinal);
        for (var chunk = 0; chunk < chunks; chunk++)
        {
            var bucket = Chunk(model, reference, chunk, chunks);
            switch (signal)
            {
                case "featureDrift":
                    foreach (var f in comparer.Features(bucket, withDistribution: false))
                        if (f.Value is { } v) Add(values, f.Feature, v);
                    break;
                case "datasetDrift":
                    if (SummaryBuilder.DatasetDrift(comparer.Features(bucket, withDistribution: false), comparer.Policy).DriftedShare is { } share) Add(values, Whole, share);
                    break;
                default:
                    if (comparer.Prediction(bucket, withDistribution: false)?.Value is { } p) Add(values, Whole, p);
                    break;
            }
        }
        var bands = values.Where(v => v.Value.Count >= MinChunks).ToDictionary(v => v.Key, v => Band(v.Value, reference.Name), StringComparer.Ordinal);
        return new Learned(modelSettings, bands);
    }

    private static void Add(Dictionary<string, List<double>> values, string key, double value)
    {
        if (!values.TryGetValue(key, out var list)) values[key] = list = [];
        list.Add(value);
    }

    private static LearnedBand Band(List<double> values, string reference)
    {
        var mean = values.Average();
        var sd = Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1));
        return new LearnedBand(mean, sd, values.Count, reference);
    }

    /// <summary>Rows [chunk·n/chunks, (chunk+1)·n/chunks) of the reference as a bucket, as if they were a production window.</summary>
    private static MinuteBucket Chunk(ModelDefinition model, ReferenceSample reference, int chunk, int chunks)
    {
        var bucket = new MinuteBucket(model, new BucketLimits(int.MaxValue));
        for (var i = 0; i < model.Features.Count; i++)
        {
            if (model.Features[i].Type == FeatureType.Numerical)
            {
                var numbers = Slice(reference.Numbers(i), chunk, chunks);
                var sketch = NumericSketch.Of(numbers.ToArray());
                bucket.SetFeature(i, sketch.Count == 0 ? null : sketch, null, new QualityCount(numbers.Count, 0, 0, 0, 0));
            }
            else
            {
                var categories = Slice(reference.Categories(i), chunk, chunks);
                var counts = new CappedCounts(int.MaxValue);
                foreach (var c in categories) if (c is not null) counts.Add(c);
                bucket.SetFeature(i, null, counts, new QualityCount(categories.Count, 0, 0, 0, 0));
            }
        }
        var predictions = Slice(reference.PredictionNumbers, chunk, chunks);
        bucket.PredictionSketch = NumericSketch.Of(predictions.ToArray());
        bucket.PredictionNumbers = predictions.Count;
        var classes = new CappedCounts(int.MaxValue);
        foreach (var c in Slice(reference.PredictionClasses, chunk, chunks)) if (c is not null) classes.Add(c);
        bucket.PredictionClasses = classes;
        bucket.Predictions = Math.Max(predictions.Count, classes.Total);
        return bucket;
    }

    private static List<T> Slice<T>(IReadOnlyList<T> values, int chunk, int chunks)
    {
        int start = (int)((long)values.Count * chunk / chunks), end = (int)((long)values.Count * (chunk + 1) / chunks);
        var slice = new List<T>(end - start);
        for (var i = start; i < end; i++) slice.Add(values[i]);
        return slice;
    }

    private sealed record Learned(DriftSettings Settings, IReadOnlyDictionary<string, LearnedBand> Bands);
}
