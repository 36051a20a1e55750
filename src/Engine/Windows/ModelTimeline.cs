namespace ModelWatch.Engine.Windows;

/// <summary>A window cut into equal steps for charts; points with no traffic are present with zero counts and null rates.</summary>
public sealed record ModelTimeline(string ModelId, string Window, string? Version, DateTimeOffset From, DateTimeOffset To, TimeSpan Step, IReadOnlyList<TimelinePoint> Points);

/// <summary>
/// One step of a timeline. PrimaryMetric is accuracy (classification) or MAE (regression) on labelled events;
/// DriftShare is the share of features drifted in that step; Quality maps feature to its problem rates.
/// </summary>
public sealed record TimelinePoint(
    DateTimeOffset Time,
    long Predictions,
    double EventsPerSecond,
    double? P50,
    double? P95,
    double? P99,
    long Errors,
    double? ErrorRate,
    double CostUsd,
    double? CpuPercent,
    double? MemoryMb,
    double? GpuPercent,
    double? PredictionMean,
    double? PrimaryMetric,
    double? Coverage,
    double? DriftShare,
    IReadOnlyDictionary<string, double?> FeatureDrift,
    IReadOnlyDictionary<string, FeatureQualityRates> Quality);

public sealed record FeatureQualityRates(double? Missing, double? TypeError, double? OutOfBounds, double? UnknownCategory);
