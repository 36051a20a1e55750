using ModelWatch.Engine.Ingestion;
using ModelWatch.Engine.Registry;
using ModelWatch.Engine.Statistics.Drift;
using ModelWatch.Engine.Statistics.Latency;

namespace ModelWatch.Engine.Windows;

/// <summary>
/// Everything a window needs from the predictions of one model version in one span of time (a minute, or an hour
/// once rolled up), as mergeable counts, histograms and sketches: reading a window never rescans events.
/// </summary>
internal sealed class MinuteBucket
{
    private readonly BucketLayout _layout;
    private readonly FixedBinHistogram?[] _numerical;
    private readonly Dictionary<string, long>?[] _categorical;
    private readonly QualityCount[] _quality;

    public MinuteBucket(BucketLayout layout)
    {
        _layout = layout;
        var features = layout.Model.Features;
        _numerical = layout.FeatureEdges.Select(e => e is null ? null : new FixedBinHistogram(e)).ToArray();
        _categorical = features.Select(f => f.Type == FeatureType.Categorical ? new Dictionary<string, long>(StringComparer.Ordinal) : null).ToArray();
        _quality = new QualityCount[features.Count];
        PredictionHistogram = layout.PredictionEdges is null ? null : new FixedBinHistogram(layout.PredictionEdges);
        ResidualHistogram = layout.ResidualEdges is null ? null : new FixedBinHistogram(layout.ResidualEdges);
    }

    /// <summary>Start of the earliest bucket merged into this one (throughput is averaged from there).</summary>
    public long? FirstMinute { get; set; }

    public long Predictions { get; private set; }
    public double PredictionSum { get; private set; }
    public long PredictionNumbers { get; private set; }
    public double CostUsd { get; private set; }
    public LatencySketch Latency { get; } = new();
    public FixedBinHistogram? PredictionHistogram { get; }
    public Dictionary<string, long> PredictionClasses { get; } = new(StringComparer.Ordinal);
    public FixedBinHistogram? ResidualHistogram { get; }
    public PerformanceAccumulator Performance { get; } = new();
    public Dictionary<string, long> Undeclared { get; } = new(StringComparer.Ordinal);

    public FixedBinHistogram? Numerical(int ordinal) => _numerical[ordinal];
    public IReadOnlyDictionary<string, long>? Categorical(int ordinal) => _categorical[ordinal];
    public QualityCount Quality(int ordinal) => _quality[ordinal];

    public void Add(PredictionRecord r)
    {
        Predictions++;
        if (r.PredictionNumber is { } p)
        {
            PredictionSum += p;
            PredictionNumbers++;
            PredictionHistogram?.Add(p);
        }
        if (r.PredictionClass is { } c) PredictionClasses[c] = PredictionClasses.GetValueOrDefault(c) + 1;
        if (r.LatencyMs is { } latency) Latency.Add(latency);
        if (r.CostUsd is { } cost) CostUsd += cost;

        for (var i = 0; i < r.FeatureProblems.Length; i++) _quality[i] = _quality[i].With(r.FeatureProblems[i]);
        if (r.UndeclaredFeatures is { } undeclared)
            foreach (var name in undeclared) Undeclared[name] = Undeclared.GetValueOrDefault(name) + 1;

        foreach (var f in FeatureCodec.Decode(r.Features))
        {
            if (f.Ordinal < 0) continue;
            if (_numerical[f.Ordinal] is { } histogram)
            {
                if (f.Value.Kind == FeatureValueKind.Number) histogram.Add(f.Value.Number);
            }
            else if (_categorical[f.Ordinal] is { } counts && f.Value.Kind == FeatureValueKind.Text)
            {
                counts[f.Value.Text!] = counts.GetValueOrDefault(f.Value.Text!) + 1;
            }
        }
    }

    public void Add(LabeledOutcome outcome)
    {
        var model = _layout.Model;
        Performance.Add(model.Task, model.DecisionThreshold, outcome);
        if (ResidualHistogram is not null && outcome.PredictionNumber is { } y_hat && outcome.LabelNumber is { } y)
            ResidualHistogram.Add(y_hat - y);
    }

    public void Merge(MinuteBucket other)
    {
        Predictions += other.Predictions;
        PredictionSum += other.PredictionSum;
        PredictionNumbers += other.PredictionNumbers;
        CostUsd += other.CostUsd;
        Latency.Merge(other.Latency);
        if (other.PredictionHistogram is not null) PredictionHistogram?.Merge(other.PredictionHistogram);
        if (other.ResidualHistogram is not null) ResidualHistogram?.Merge(other.ResidualHistogram);
        MergeCounts(PredictionClasses, other.PredictionClasses);
        MergeCounts(Undeclared, other.Undeclared);
        Performance.Merge(other.Performance);
        for (var i = 0; i < _quality.Length; i++)
        {
            _quality[i] = _quality[i].Plus(other._quality[i]);
            if (_numerical[i] is { } mine && other._numerical[i] is { } theirs) mine.Merge(theirs);
            if (_categorical[i] is { } counts && other._categorical[i] is { } more) MergeCounts(counts, more);
        }
    }

    private static void MergeCounts(Dictionary<string, long> into, IReadOnlyDictionary<string, long> from)
    {
        foreach (var (key, count) in from) into[key] = into.GetValueOrDefault(key) + count;
    }
}

/// <summary>Data-quality counts of one feature.</summary>
internal readonly record struct QualityCount(long Rows, long Missing, long TypeErrors, long OutOfBounds, long UnknownCategory)
{
    public QualityCount With(QualityProblem problem) => problem switch
    {
        QualityProblem.Missing => this with { Rows = Rows + 1, Missing = Missing + 1 },
        QualityProblem.TypeError => this with { Rows = Rows + 1, TypeErrors = TypeErrors + 1 },
        QualityProblem.OutOfBounds => this with { Rows = Rows + 1, OutOfBounds = OutOfBounds + 1 },
        QualityProblem.UnknownCategory => this with { Rows = Rows + 1, UnknownCategory = UnknownCategory + 1 },
        _ => this with { Rows = Rows + 1 },
    };

    public QualityCount Plus(QualityCount o) => new(Rows + o.Rows, Missing + o.Missing, TypeErrors + o.TypeErrors, OutOfBounds + o.OutOfBounds, UnknownCategory + o.UnknownCategory);

    public FeatureQualityRates Rates() => Rows == 0
        ? new FeatureQualityRates(null, null, null, null)
        : new FeatureQualityRates((double)Missing / Rows, (double)TypeErrors / Rows, (double)OutOfBounds / Rows, (double)UnknownCategory / Rows);
}

/// <summary>Operational samples and cost records of a model (not per version) in one span of time.</summary>
internal sealed class SystemBucket
{
    public long Samples { get; private set; }
    public long Errors { get; private set; }
    public double CostRecordsUsd { get; private set; }
    private double _cpuSum, _memorySum, _gpuSum;
    private long _cpuCount, _memoryCount, _gpuCount;

    public double? CpuPercent => _cpuCount == 0 ? null : _cpuSum / _cpuCount;
    public double? MemoryMb => _memoryCount == 0 ? null : _memorySum / _memoryCount;
    public double? GpuPercent => _gpuCount == 0 ? null : _gpuSum / _gpuCount;

    public void Add(OperationalSampleRecord s)
    {
        Samples++;
        Errors += s.Errors;
        if (s.CpuPercent is { } cpu) { _cpuSum += cpu; _cpuCount++; }
        if (s.MemoryMb is { } memory) { _memorySum += memory; _memoryCount++; }
        if (s.GpuPercent is { } gpu) { _gpuSum += gpu; _gpuCount++; }
    }

    public void Add(CostRecord c) => CostRecordsUsd += c.AmountUsd;

    public void Merge(SystemBucket o)
    {
        Samples += o.Samples; Errors += o.Errors; CostRecordsUsd += o.CostRecordsUsd;
        _cpuSum += o._cpuSum; _cpuCount += o._cpuCount;
        _memorySum += o._memorySum; _memoryCount += o._memoryCount;
        _gpuSum += o._gpuSum; _gpuCount += o._gpuCount;
    }
}
