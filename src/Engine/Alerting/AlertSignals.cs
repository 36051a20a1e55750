namespace ModelWatch.Engine.Alerting;

/// <summary>What minSamples counts for a signal: the events behind the number, the labels behind it, or nothing.</summary>
public enum SampleBasis { Events, Labels, None }

/// <summary>One signal: its metrics (the first is the default), whether it takes a feature, and what its samples are.</summary>
public sealed record SignalDefinition(string Name, IReadOnlyList<string> Metrics, bool PerFeature, SampleBasis Samples, string Group)
{
    public string DefaultMetric => Metrics[0];
}

/// <summary>Every signal a rule can watch: the same numbers the model summary shows.</summary>
public static class AlertSignals
{
    /// <summary>Inbox ordering: ops engineers see system signals first, data scientists model signals.</summary>
    public const string System = "system";
    public const string ModelQuality = "model";

    public static readonly IReadOnlyList<SignalDefinition> All =
    [
        new("featureDrift", ["value", "drifted"], true, SampleBasis.Events, ModelQuality),
        new("datasetDrift", ["share"], false, SampleBasis.Events, ModelQuality),
        new("predictionDrift", ["value", "drifted"], false, SampleBasis.Events, ModelQuality),
        new("performance", ["accuracy", "precision", "recall", "f1", "auc", "logLoss", "mae", "rmse", "mape", "r2"], false, SampleBasis.Labels, ModelQuality),
        new("labelCoverage", ["coverage"], false, SampleBasis.Events, ModelQuality),
        new("dataQuality", ["missingRate", "typeErrorRate", "outOfBoundsRate", "unknownCategoryRate"], true, SampleBasis.Events, ModelQuality),
        new("latency", ["p95", "p50", "p90", "p99"], false, SampleBasis.Events, System),
        new("errorRate", ["rate"], false, SampleBasis.Events, System),
        new("throughput", ["eventsPerSecond", "predictions"], false, SampleBasis.None, System),
        new("cost", ["windowTotal", "per1k", "projectedMonthUsd", "budgetUsedPercent"], false, SampleBasis.None, System),
        new("noData", ["minutesSinceLastEvent"], false, SampleBasis.None, System),
    ];

    private static readonly Dictionary<string, SignalDefinition> ByName = All.ToDictionary(s => s.Name, StringComparer.Ordinal);

    public static SignalDefinition? Find(string? name) => name is null ? null : ByName.GetValueOrDefault(name);

    /// <summary>The range a metric can take, so that a learned band never asks for a share below 0 or above 1.</summary>
    public static (double Min, double Max) Range(string signal, string metric) => (signal, metric) switch
    {
        ("performance", "r2") => (double.NegativeInfinity, 1),
        ("performance", "logLoss" or "mae" or "rmse" or "mape") => (0, double.PositiveInfinity),
        ("performance", _) => (0, 1),
        ("featureDrift" or "predictionDrift", "drifted") => (0, 1),
        ("datasetDrift" or "labelCoverage" or "dataQuality" or "errorRate", _) => (0, 1),
        ("cost", "budgetUsedPercent") => (0, double.PositiveInfinity),
        _ => (0, double.PositiveInfinity),
    };
}
