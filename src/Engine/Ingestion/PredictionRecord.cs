namespace ModelWatch.Engine.Ingestion;

/// <summary>A validated prediction, ready for the writer. Times are Unix milliseconds.</summary>
public sealed record PredictionRecord(
    string EventId,
    long Timestamp,
    long VersionPk,
    byte[] Features,
    QualityProblem[] FeatureProblems,
    string[]? UndeclaredFeatures,
    double? PredictionNumber,
    string? PredictionClass,
    string? ProbabilitiesJson,
    double? LatencyMs,
    double? CostUsd);

public sealed record LabelRecord(string PredictionId, double? LabelNumber, string? LabelClass, long Timestamp);

public sealed record OperationalSampleRecord(long Timestamp, double? CpuPercent, double? MemoryMb, double? GpuPercent, long Errors);

public sealed record CostRecord(long Timestamp, double AmountUsd, string Item);

public sealed record ReferenceRecord(byte[] Features, double? PredictionNumber, string? PredictionClass, double? LabelNumber, string? LabelClass);

/// <summary>A prediction joined with its ground truth, whichever arrived second. Times are the prediction's.</summary>
public sealed record LabeledOutcome(long Timestamp, long VersionPk, double? PredictionNumber, string? PredictionClass, double? LabelNumber, string? LabelClass);
