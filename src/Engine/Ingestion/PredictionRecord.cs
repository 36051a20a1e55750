namespace ModelWatch.Engine.Ingestion;

/// <summary>A validated prediction, ready for the writer. Times are Unix milliseconds. IsError: the service reported this prediction as failed.</summary>
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
    double? CostUsd,
    bool IsError = false);

public sealed record LabelRecord(string PredictionId, double? LabelNumber, string? LabelClass, long Timestamp);

/// <summary>An operational sample; with <paramref name="VersionPk"/> its errors are attributed to that version.</summary>
public sealed record OperationalSampleRecord(long Timestamp, double? CpuPercent, double? MemoryMb, double? GpuPercent, long Errors, long? VersionPk = null);

public sealed record CostRecord(long Timestamp, double AmountUsd, string Item);

public sealed record ReferenceRecord(byte[] Features, double? PredictionNumber, string? PredictionClass, double? LabelNumber, string? LabelClass);

/// <summary>A prediction joined with its ground truth, whichever arrived second. Times are the prediction's.</summary>
public sealed record LabeledOutcome(long Timestamp, long VersionPk, double? PredictionNumber, string? PredictionClass, double? LabelNumber, string? LabelClass);
