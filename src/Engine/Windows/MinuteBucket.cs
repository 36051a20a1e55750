using ModelWatch.Engine.Ingestion;
using ModelWatch.Engine.Registry;
using ModelWatch.Engine.Statistics.Sketches;
using ModelWatch.Engine.Statistics.Latency;

namespace ModelWatch.Engine.Windows;

/// <summary>
/// Everything a window needs from the predictions of one model version in one span of time (a minute, or an hour
/// once rolled up), as mergeable counts and sketches: reading a window never rescans events. Nothing in it depends
/// on the baseline, so a new reference or a production promotion changes no bucket; drift re-bins the merged
/// sketches against the reference at read time (<see cref="DriftComparer"/>). Sparse: a quiet minute costs bytes.
/// </summary>
internal sealed class MinuteBucket
{
    private readonly NumericSketch?[] _numerical;
    private readonly CappedCounts?[] _categorical;
    private readonly QualityCount[] _quality;

    public MinuteBucket(ModelDefinition model, BucketLimits? limits = null)
    {
        Model = model;
        Limits = limits ?? BucketLimits.Default;
        var features = model.Features;
        _numerical = new NumericSketch?[features.Count];
        _categorical = new CappedCounts?[features.Count];
        _quality = new QualityCount[features.Count];
        PredictionClasses = new CappedCounts(Limits.MaxCategoriesPerFeature);
        Undeclared = new CappedCounts(Limits.MaxUndeclaredFeatures);
    }

    public ModelDefinition Model { get; }
    public BucketLimits Limits { get; }

    /// <summary>Start of the earliest bucket merged into this one (throughput is averaged from there).</summary>
    public long? FirstMinute { get; set; }

    public long Predictions { get; internal set; }
    public double PredictionSum { get; internal set; }
    public long PredictionNumbers { get; internal set; }
    public double CostUsd { get; internal set; }

    /// <summary>Predictions the service flagged as failed (counted in <see cref="Predictions"/> too).</summary>
    public long FailedPredictions { get; internal set; }

    /// <summary>Errors that metrics samples naming this version reported (requests that produced no prediction event).</summary>
    public long SampleErrors { get; internal set; }

    public LatencySketch Latency { get; internal set; } = new();

    /// <summary>Scores or regression values; empty for multiclass models (their classes are counted instead).</summary>
    public NumericSketch PredictionSketch { get; internal set; } = new();
    public CappedCounts PredictionClasses { get; internal set; }

    /// <summary>Prediction − label of labelled regression outcomes.</summary>
    public NumericSketch ResidualSketch { get; internal set; } = new();
    public PerformanceAccumulator Performance { get; internal set; } = new();

    /// <summary>Undeclared feature names and how often each came; beyond <see cref="BucketLimits.MaxUndeclaredFeatures"/> names they count as Other.</summary>
    public CappedCounts Undeclared { get; internal set; }

    public NumericSketch? Numerical(int ordinal) => _numerical[ordinal];
    public CappedCounts? Categorical(int ordinal) => _categorical[ordinal];
    public QualityCount Quality(int ordinal) => _quality[ordinal];

    internal void SetFeature(int ordinal, NumericSketch? numerical, CappedCounts? categorical, QualityCount quality)
    {
        _numerical[ordinal] = numerical;
        _categorical[ordinal] = categorical;
        _quality[ordinal] = quality;
    }

    public void Add(PredictionRecord r)
    {
        Predictions++;
        if (r.IsError) FailedPredictions++;
        if (r.PredictionNumber is { } p)
        {
            PredictionSum += p;
            PredictionNumbers++;
            PredictionSketch.Add(p);
        }
        if (r.PredictionClass is { } c) PredictionClasses.Add(c);
        if (r.LatencyMs is { } latency) Latency.Add(latency);
        if (r.CostUsd is { } cost) CostUsd += cost;

        for (var i = 0; i < r.FeatureProblems.Length && i < _quality.Length; i++) _quality[i] = _quality[i].With(r.FeatureProblems[i]);
        if (r.UndeclaredFeatures is { } undeclared)
            foreach (var name in undeclared) Undeclared.Add(name);

        var features = Model.Features;
        foreach (var f in FeatureCodec.Decode(r.Features))
        {
            if (f.Ordinal < 0 || f.Ordinal >= features.Count) continue;
            if (features[f.Ordinal].Type == FeatureType.Numerical)
            {
                if (f.Value.Kind == FeatureValueKind.Number) (_numerical[f.Ordinal] ??= new NumericSketch()).Add(f.Value.Number);
            }
            else if (f.Value.Kind == FeatureValueKind.Text)
            {
                (_categorical[f.Ordinal] ??= new CappedCounts(Limits.MaxCategoriesPerFeature)).Add(f.Value.Text!);
            }
        }
    }

    /// <summary>Errors a versioned metrics sample reported for this version.</summary>
    public void AddErrors(long errors) => SampleErrors += Math.Max(0, errors);

    public void Add(LabeledOutcome outcome)
    {
        Performance.Add(Model.Task, Model.DecisionThreshold, outcome);
        if (Model.Task == ModelTask.Regression && outcome.PredictionNumber is { } y_hat && outcome.LabelNumber is { } y)
            ResidualSketch.Add(y_hat - y);
    }

    /// <summary>Settles every sketch so concurrent readers can merge from this bucket without writing to it (cached aggregates).</summary>
    public MinuteBucket Seal()
    {
        PredictionSketch.Seal();
        ResidualSketch.Seal();
        foreach (var n in _numerical) n?.Seal();
        return this;
    }

    /// <summary>About how many bytes this bucket holds in memory: what the aggregate cache charges for it.</summary>
    public long EstimatedBytes()
    {
        long bytes = 512 + 64L * _numerical.Length + PredictionSketch.RetainedBytes + ResidualSketch.RetainedBytes
            + 64L * (PredictionClasses.Distinct + Undeclared.Distinct) + (Latency.IsEmpty ? 0 : 2048); // a latency sketch holds ~100 buckets
        foreach (var n in _numerical) if (n is not null) bytes += n.RetainedBytes;
        foreach (var c in _categorical) if (c is not null) bytes += 96 + 64L * c.Distinct;
        return bytes;
    }

    public void Merge(MinuteBucket other)
    {
        Predictions += other.Predictions;
        PredictionSum += other.PredictionSum;
        PredictionNumbers += other.PredictionNumbers;
        CostUsd += other.CostUsd;
        FailedPredictions += other.FailedPredictions;
        SampleErrors += other.SampleErrors;
        Latency.Merge(other.Latency);
        PredictionSketch.Merge(other.PredictionSketch);
        ResidualSketch.Merge(other.ResidualSketch);
        PredictionClasses.Merge(other.PredictionClasses);
        Undeclared.Merge(other.Undeclared);
        Performance.Merge(other.Performance);
        if (other.FirstMinute is { } first && (FirstMinute is null || first < FirstMinute)) FirstMinute = first;
        var count = Math.Min(_quality.Length, other._quality.Length);
        for (var i = 0; i < count; i++)
        {
            _quality[i] = _quality[i].Plus(other._quality[i]);
            if (other._numerical[i] is { } theirs) (_numerical[i] ??= new NumericSketch()).Merge(theirs);
            if (other._categorical[i] is { } more) (_categorical[i] ??= new CappedCounts(Limits.MaxCategoriesPerFeature)).Merge(more);
        }
    }
}

/// <summary>
/// Bounds on what one bucket keeps, so a hostile event cannot blow memory up:
/// <c>Portal:Aggregates:MaxCategoriesPerFeature</c> distinct values per categorical feature (and predicted class),
/// and at most <see cref="MaxUndeclaredFeatures"/> undeclared feature names per model; the rest count as "(other)".
/// </summary>
public sealed record BucketLimits(int MaxCategoriesPerFeature = BucketLimits.DefaultMaxCategoriesPerFeature, int MaxUndeclaredFeatures = BucketLimits.DefaultMaxUndeclaredFeatures)
{
    public const int DefaultMaxCategoriesPerFeature = 200;
    public const int DefaultMaxUndeclaredFeatures = 100;

    public static BucketLimits Default { get; } = new();
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

/// <summary>Operational samples and cost records of a model (not per version) in one span of time. Errors of samples
/// that name a version go to that version's <see cref="MinuteBucket"/> instead.</summary>
internal sealed class SystemBucket
{
    public long Samples { get; internal set; }

    /// <summary>Earliest minute merged in (set on the open minute; kept by merges), so coarse slots still know where spending started.</summary>
    public long? FirstMinute { get; set; }

    /// <summary>Errors no version was named for: model-wide.</summary>
    public long Errors { get; internal set; }
    public double CostRecordsUsd { get; internal set; }
    internal double _cpuSum, _memorySum, _gpuSum;
    internal long _cpuCount, _memoryCount, _gpuCount;

    public double? CpuPercent => _cpuCount == 0 ? null : _cpuSum / _cpuCount;
    public double? MemoryMb => _memoryCount == 0 ? null : _memorySum / _memoryCount;
    public double? GpuPercent => _gpuCount == 0 ? null : _gpuSum / _gpuCount;

    public void Add(OperationalSampleRecord s)
    {
        Samples++;
        if (s.VersionPk is null) Errors += s.Errors; // attributed errors are counted in the version's bucket
        if (s.CpuPercent is { } cpu) { _cpuSum += cpu; _cpuCount++; }
        if (s.MemoryMb is { } memory) { _memorySum += memory; _memoryCount++; }
        if (s.GpuPercent is { } gpu) { _gpuSum += gpu; _gpuCount++; }
    }

    public void Add(CostRecord c) => CostRecordsUsd += c.AmountUsd;

    public void Merge(SystemBucket o)
    {
        Samples += o.Samples; Errors += o.Errors; CostRecordsUsd += o.CostRecordsUsd;
        if (o.FirstMinute is { } first && (FirstMinute is null || first < FirstMinute)) FirstMinute = first;
        _cpuSum += o._cpuSum; _cpuCount += o._cpuCount;
        _memorySum += o._memorySum; _memoryCount += o._memoryCount;
        _gpuSum += o._gpuSum; _gpuCount += o._gpuCount;
    }
}
