using ModelWatch.Engine.Statistics.Performance;

namespace ModelWatch.Engine.Windows;

/// <summary>
/// Everything the portal shows about one model over one window: the object behind
/// GET /api/v1/models/{id}/summary, the live hub's "summary" message and every UI panel.
/// Rates and metrics are null (never NaN) when they cannot be computed; a Reason says why.
/// </summary>
public sealed record ModelSummary(
    string ModelId,
    string ModelName,
    string Task,
    string? Team,
    string Window,
    string? Version,
    DateTimeOffset From,
    DateTimeOffset To,
    DateTimeOffset ComputedAt,
    TrafficSummary Traffic,
    DriftSummary Drift,
    PredictionSummary Predictions,
    IReadOnlyList<FeatureQualitySummary> Quality,
    PerformanceSummary Performance,
    LatencySummary Latency,
    SystemSummary System,
    CostSummary Cost);

/// <summary>
/// Predictions in the window, throughput, and errors reported by the model's service. For one version, Errors are
/// that version's own (flagged predictions, versioned metrics samples); when some errors name no version the model-wide
/// figures are shown instead and <see cref="ErrorsModelWide"/> is true, so the UI can label them.
/// </summary>
public sealed record TrafficSummary(long Predictions, double EventsPerSecond, long Errors, double? ErrorRate, DateTimeOffset? LastEventAt, bool ErrorsModelWide = false);

/// <summary>Shares (proportions summing to 1) of reference and current over the same bins or categories, ready to plot.</summary>
public sealed record DistributionComparison(IReadOnlyList<string> Labels, IReadOnlyList<double> Reference, IReadOnlyList<double> Current);

/// <summary>
/// One feature's (or the prediction's) drift: which method decided, the value against its threshold, and why.
/// KsStatistic is the KS D next to its PValue (numerical only). Binning names the bins PSI and Jensen–Shannon were
/// computed on: "reference-quantiles" (numerical windows) or "categories".
/// </summary>
public sealed record FeatureDrift(
    string Feature,
    string Type,
    string Method,
    double? Value,
    double Threshold,
    bool Drifted,
    long ReferenceSize,
    long CurrentSize,
    double? PValue,
    double? Psi,
    string? PsiBand,
    double? JensenShannon,
    double? WassersteinNormalized,
    bool Approximate,
    string? Reason,
    DistributionComparison? Distribution,
    double? KsStatistic = null,
    string? Binning = null);

/// <summary>Per-feature drift and the dataset-drift verdict (share of drifted features against the threshold).</summary>
public sealed record DriftSummary(
    string Reference,
    IReadOnlyList<FeatureDrift> Features,
    int EvaluatedCount,
    int DriftedCount,
    double? DriftedShare,
    double ShareThreshold,
    bool DatasetDrift,
    string? Reason);

/// <summary>The distribution of predictions against the reference: scores, class shares or regression values.</summary>
public sealed record PredictionSummary(long Count, double? Mean, FeatureDrift? Drift, double? P10, double? P50, double? P90);

public sealed record FeatureQualitySummary(
    string Feature,
    bool Declared,
    long Rows,
    double? MissingRate,
    double? TypeErrorRate,
    double? OutOfBoundsRate,
    double? UnknownCategoryRate,
    long Undeclared);

/// <summary>
/// Performance on the labelled part of the window; Coverage is labelled / predictions. Headline names the metric the
/// fleet card and timeline show (accuracy, balancedAccuracy, f1, macroF1, mae); HeadlineValue is null, with a
/// Reason, while fewer than MinimumLabels events are labelled. HeadlineInterval is a 95 % interval where one is known.
/// </summary>
public sealed record PerformanceSummary(
    long Predictions,
    long Labeled,
    double? Coverage,
    BinaryPerformance? Binary,
    MulticlassPerformance? Multiclass,
    RegressionPerformance? Regression,
    string? Reason,
    string Headline = "accuracy",
    double? HeadlineValue = null,
    ConfidenceInterval? HeadlineInterval = null,
    int MinimumLabels = 0)
{
    public bool TooFewLabels => Labeled > 0 && Labeled < MinimumLabels;
}

/// <summary>Binary metrics at the decision threshold; intervals are 95 % Wilson intervals of the proportions.</summary>
public sealed record BinaryPerformance(
    double Threshold, double? Accuracy, double? Precision, double? Recall, double? F1, double? RocAuc, double? LogLoss,
    long TrueNegatives, long FalsePositives, long FalseNegatives, long TruePositives,
    double? BalancedAccuracy = null, ConfidenceInterval? AccuracyInterval = null, ConfidenceInterval? PrecisionInterval = null,
    ConfidenceInterval? RecallInterval = null, ConfidenceInterval? BalancedAccuracyInterval = null)
{
    /// <summary>Share of labelled events that are positive.</summary>
    public double? PositiveShare => TrueNegatives + FalsePositives + FalseNegatives + TruePositives is var n and > 0 ? (double)(TruePositives + FalseNegatives) / n : null;
}

public sealed record ClassPerformance(string Class, double? Precision, double? Recall, double? F1, long Support);

/// <summary>ConfusionMatrix[i][j] counts labels Classes[i] predicted as Classes[j].</summary>
public sealed record MulticlassPerformance(
    double? Accuracy, double? MacroF1, double? WeightedF1, IReadOnlyList<ClassPerformance> PerClass,
    IReadOnlyList<string> Classes, IReadOnlyList<IReadOnlyList<long>> ConfusionMatrix, ConfidenceInterval? AccuracyInterval = null);

public sealed record RegressionPerformance(double? Mae, double? Rmse, double? Mape, long MapeSkippedZeroLabels, double? R2, DistributionComparison? Residuals);

public sealed record LatencySummary(long Count, double? P50, double? P90, double? P95, double? P99, double? SloMs, bool? SloBreached);

public sealed record SystemSummary(long Samples, double? CpuPercent, double? MemoryMb, double? GpuPercent, long Errors);

/// <summary>
/// Spend in the window and this month. ProjectedMonthEnd carries the recent run-rate (RunRatePerDay, measured over
/// RunRateWindow or the part of it with spending) to the month's end; ProjectedFromMonthAverage carries the
/// month-to-date average instead. ProjectionNote says why a projection is missing.
/// </summary>
public sealed record CostSummary(
    double Total, double? PerThousandPredictions, double MonthToDate, double? MonthlyBudget, double? ProjectedMonthEnd, double? BudgetUsedShare,
    double? RunRatePerDay = null, string? RunRateWindow = null, double? ProjectedFromMonthAverage = null, string? ProjectionNote = null);
