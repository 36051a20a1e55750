using ModelWatch.Engine.Windows;

namespace ModelWatch.Portal.Tests.Components;

/// <summary>Summaries and timelines with recognisable numbers, so a test can find each one on screen.</summary>
public static class SampleData
{
    public static readonly DateTimeOffset Now = new(2026, 3, 2, 12, 0, 0, TimeSpan.Zero);

    public static DistributionComparison Distribution => new(["0.0-0.1", "0.1-0.2", "0.2-0.3"], [0.5, 0.3, 0.2], [0.2, 0.3, 0.5]);

    public static FeatureDrift Feature(string name, double value, bool drifted, string method = "wassersteinNormalized") =>
        new(name, "numerical", method, value, 0.1, drifted, 1000, 742, null, 0.31, drifted ? "major" : "none", 0.12, value, false, null, Distribution);

    public static ModelSummary Summary(
        string modelId = "fraud-detector",
        long predictions = 12345,
        bool datasetDrift = true,
        double? p95 = 123.4,
        double? sloMs = 200,
        double? errorRate = 0.0123,
        long labeled = 6000,
        double monthToDate = 321.5,
        double? budget = 500,
        string window = "1h",
        string? version = null,
        DateTimeOffset? computedAt = null)
    {
        FeatureDrift[] features =
        [
            Feature("amount", 0.4321, true),
            Feature("merchant_age", 0.2222, true),
            Feature("hour", 0.0123, false),
        ];
        return new ModelSummary(
            modelId, modelId.Replace('-', ' '), "binary-classification", "payments-risk", window, version,
            Now.AddHours(-1), Now, computedAt ?? Now,
            new TrafficSummary(predictions, 3.4, 152, errorRate, Now.AddSeconds(-3)),
            new DriftSummary("baseline of version 1.0.0", features, 3, datasetDrift ? 2 : 0, datasetDrift ? 2.0 / 3 : 0, 0.5, datasetDrift, null),
            new PredictionSummary(predictions, 0.2468, Feature("prediction", 0.0555, false), 0.05, 0.21, 0.77),
            [
                new FeatureQualitySummary("amount", true, predictions, 0.0712, 0.0, 0.0033, null, 0),
                new FeatureQualitySummary("hour", true, predictions, 0.0, 0.0, 0.0, null, 0),
            ],
            new PerformanceSummary(predictions, labeled, labeled == 0 ? 0 : (double)labeled / predictions,
                labeled == 0 ? null : new BinaryPerformance(0.5, 0.9142, 0.81, 0.72, 0.7624, 0.9432, 0.2811, 4000, 300, 218, 1482, 0.8266),
                null, null, labeled is > 0 and < 30 ? $"Too few labels: {labeled} of the 30 needed for a metric to mean something." : null,
                "accuracy", labeled >= 30 ? 0.9142 : null, labeled >= 30 ? new Engine.Statistics.Performance.ConfidenceInterval(0.9070, 0.9210, "wilson") : null, 30),
            new LatencySummary(predictions, 41.2, 88.8, p95, 250.9, sloMs, p95 > sloMs),
            new SystemSummary(60, 63.5, 2048, 12, 0),
            new CostSummary(12.34, 0.9996, monthToDate, budget, budget is null ? null : 612.3, budget is { } b ? monthToDate / b : null));
    }

    public static TimelinePoint Point(DateTimeOffset time, double p95 = 100, long predictions = 200, double? accuracy = 0.9) =>
        new(time, predictions, predictions / 60.0, 40, p95, 240, 2, 0.01, 0.2, 60, 2000, 10, 0.25, accuracy, 0.5, 0.66,
            new Dictionary<string, double?> { ["amount"] = 0.43, ["hour"] = 0.01 },
            new Dictionary<string, FeatureQualityRates> { ["amount"] = new(0.07, 0, 0.003, null) });

    public static ModelTimeline Timeline(string modelId = "fraud-detector", int points = 5) =>
        new(modelId, "1h", null, Now.AddMinutes(-points), Now, TimeSpan.FromMinutes(1),
            Enumerable.Range(0, points).Select(i => Point(Now.AddMinutes(i - points + 1), 100 + i)).ToList());

    public static ModelSummary Quiet(string modelId) => Summary(modelId, predictions: 0, datasetDrift: false, p95: null, errorRate: null, labeled: 0) with
    {
        Drift = new DriftSummary("baseline", [], 0, 0, null, 0.5, false, "no current data"),
    };
}
