namespace ModelWatch.Engine.Windows;

/// <summary>
/// A window cut into equal steps for charts. Steps before the model's first data in the window carry null rates
/// and sums (no data is not zero); HistoryStart says where the data begins, null when the window holds none.
/// </summary>
public sealed record ModelTimeline(string ModelId, string Window, string? Version, DateTimeOffset From, DateTimeOffset To, TimeSpan Step, IReadOnlyList<TimelinePoint> Points,
    DateTimeOffset? HistoryStart = null);

/// <summary>
/// One step of a timeline. PrimaryMetric is the model's headline metric (see PerformanceSummary.Headline) on
/// labelled events, null below the minimum of labels; DriftShare is the share of features drifted in that step;
/// Quality maps feature to its problem rates. EventsPerSecond and CostUsd are null where there is no data yet.
/// Partial marks the step still filling: its rates are averaged over the seconds elapsed, its sums are not final.
/// </summary>
public sealed record TimelinePoint(
    DateTimeOffset Time,
    long Predictions,
    double? EventsPerSecond,
    double? P50,
    double? P95,
    double? P99,
    long Errors,
    double? ErrorRate,
    double? CostUsd,
    double? CpuPercent,
    double? MemoryMb,
    double? GpuPercent,
    double? PredictionMean,
    double? PrimaryMetric,
    double? Coverage,
    double? DriftShare,
    IReadOnlyDictionary<string, double?> FeatureDrift,
    IReadOnlyDictionary<string, FeatureQualityRates> Quality,
    bool Partial = false,
    long Labeled = 0);

public sealed record FeatureQualityRates(double? Missing, double? TypeError, double? OutOfBounds, double? UnknownCategory);
