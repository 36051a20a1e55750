using ModelWatch.Engine.Windows;

namespace ModelWatch.Engine.Alerting;

/// <summary>
/// One series' number at one evaluation: the metric (null when it cannot be computed) and the samples behind it.
/// Band: what a band learned from reference chunks allows (null for every other condition, or when there is none yet).
/// </summary>
public sealed record SeriesReading(string? Feature, double? Value, long Samples, string? Reason = null, LearnedBand? Band = null);

/// <summary>
/// The one place that turns the engine's summary shapes (ModelSummary, TimelinePoint) into the number a rule watches.
/// When the summary changes shape, only this file changes.
/// </summary>
public static class SignalReader
{
    /// <summary>Every series of the rule on this summary: one per feature for a per-feature rule without a feature, else one.</summary>
    public static IReadOnlyList<SeriesReading> Read(AlertRule rule, ModelSummary s)
    {
        switch (rule.Signal)
        {
            case "featureDrift":
                return s.Drift.Features.Where(f => rule.Feature is null || f.Feature == rule.Feature)
                    .Select(f => new SeriesReading(f.Feature, rule.Metric == "drifted" ? (f.Value is null ? null : f.Drifted ? 1 : 0) : f.Value, f.CurrentSize, f.Reason))
                    .ToList();
            case "dataQuality":
                return s.Quality.Where(q => q.Declared && (rule.Feature is null || q.Feature == rule.Feature))
                    .Select(q => new SeriesReading(q.Feature, rule.Metric switch
                    {
                        "missingRate" => q.MissingRate,
                        "typeErrorRate" => q.TypeErrorRate,
                        "outOfBoundsRate" => q.OutOfBoundsRate,
                        _ => q.UnknownCategoryRate,
                    }, q.Rows)).ToList();
        }
        return [Single(rule, s)];
    }

    private static SeriesReading Single(AlertRule rule, ModelSummary s)
    {
        var events = s.Traffic.Predictions;
        var p = s.Performance;
        return rule.Signal switch
        {
            "datasetDrift" => new(null, s.Drift.DriftedShare, events, s.Drift.Reason),
            "predictionDrift" => s.Predictions.Drift is { } d
                ? new(null, rule.Metric == "drifted" ? (d.Value is null ? null : d.Drifted ? 1 : 0) : d.Value, d.CurrentSize, d.Reason)
                : new(null, null, events, "no prediction drift in this window"),
            "performance" => new(null, Performance(rule.Metric, p), p.Labeled, p.Reason),
            "labelCoverage" => new(null, p.Coverage, events),
            "latency" => new(null, rule.Metric switch { "p50" => s.Latency.P50, "p90" => s.Latency.P90, "p99" => s.Latency.P99, _ => s.Latency.P95 }, s.Latency.Count),
            "errorRate" => new(null, s.Traffic.ErrorRate, events),
            "throughput" => new(null, rule.Metric == "predictions" ? events : s.Traffic.EventsPerSecond, events),
            "cost" => new(null, rule.Metric switch
            {
                "windowTotal" => s.Cost.Total,
                "per1k" => s.Cost.PerThousandPredictions,
                "projectedMonthUsd" => s.Cost.ProjectedMonthEnd,
                _ => s.Cost.BudgetUsedShare * 100,
            }, events),
            // Never any event counts as silent since the window began, so a new model is not "no data" forever.
            _ => new(null, s.Traffic.LastEventAt is { } last ? Math.Max(0, (s.ComputedAt - last).TotalMinutes) : (s.To - s.From).TotalMinutes + 1, 1),
        };
    }

    private static double? Performance(string metric, PerformanceSummary p) => metric switch
    {
        "accuracy" => p.Binary?.Accuracy ?? p.Multiclass?.Accuracy,
        "precision" => p.Binary?.Precision,
        "recall" => p.Binary?.Recall,
        "f1" => p.Binary?.F1 ?? p.Multiclass?.MacroF1,
        "auc" => p.Binary?.RocAuc,
        "logLoss" => p.Binary?.LogLoss,
        "mae" => p.Regression?.Mae,
        "rmse" => p.Regression?.Rmse,
        "mape" => p.Regression?.Mape,
        _ => p.Regression?.R2,
    };

    /// <summary>Whether a stored timeline carries the metric, so that a rule can be tried on history.</summary>
    public static bool InTimeline(string signal, string metric) => (signal, metric) switch
    {
        ("featureDrift", "value") or ("datasetDrift", _) or ("labelCoverage", _) or ("dataQuality", _) => true,
        ("latency", "p50" or "p95" or "p99") or ("errorRate", _) or ("throughput", _) or ("cost", "windowTotal" or "per1k") => true,
        ("performance", "accuracy" or "mae") or ("noData", _) => true,
        _ => false,
    };

    /// <summary>The series of one timeline step (history for preview and for learned bands).</summary>
    public static IReadOnlyList<SeriesReading> Read(AlertRule rule, TimelinePoint p, TimeSpan step)
    {
        var events = p.Predictions;
        switch (rule.Signal)
        {
            case "featureDrift":
                return p.FeatureDrift.Where(f => rule.Feature is null || f.Key == rule.Feature).Select(f => new SeriesReading(f.Key, f.Value, events)).ToList();
            case "dataQuality":
                return p.Quality.Where(q => rule.Feature is null || q.Key == rule.Feature).Select(q => new SeriesReading(q.Key, rule.Metric switch
                {
                    "missingRate" => q.Value.Missing,
                    "typeErrorRate" => q.Value.TypeError,
                    "outOfBoundsRate" => q.Value.OutOfBounds,
                    _ => q.Value.UnknownCategory,
                }, events)).ToList();
        }
        var labeled = p.Coverage is { } c ? (long)Math.Round(c * events) : 0;
        SeriesReading reading = rule.Signal switch
        {
            "datasetDrift" => new(null, p.DriftShare, events),
            "labelCoverage" => new(null, p.Coverage, events),
            "performance" => new(null, p.PrimaryMetric, labeled),
            "latency" => new(null, rule.Metric switch { "p50" => p.P50, "p99" => p.P99, _ => p.P95 }, events),
            "errorRate" => new(null, p.ErrorRate, events),
            "throughput" => new(null, rule.Metric == "predictions" ? events : p.EventsPerSecond, events),
            "cost" => new(null, rule.Metric == "per1k" ? (events == 0 ? null : p.CostUsd / events * 1000) : p.CostUsd, events),
            _ => new(null, events == 0 ? step.TotalMinutes : 0, 1),
        };
        return [reading];
    }
}
