using ModelWatch.Engine.Live;
using ModelWatch.Engine.Windows;

namespace ModelWatch.Engine.Tests.Alerting;

/// <summary>
/// A metric stream for the evaluator: each model's summary is whatever the test last set, in the real ModelSummary shape,
/// so the rules read it through the real SignalReader.
/// </summary>
public sealed class ScriptedSummaries(TimeProvider clock) : ISummaryReader
{
    private readonly Dictionary<string, Func<ModelSummary>> _summaries = [];

    public int Reads { get; private set; }

    public void Latency(string model, double? p95, long count = 1000, DateTimeOffset? lastEvent = null) =>
        _summaries[model] = () => Summary(model, count, latency: new LatencySummary(count, p95 / 2, p95, p95, p95 * 1.2, null, null), lastEvent: lastEvent);

    public void Drift(string model, IReadOnlyDictionary<string, double> values, double threshold = 0.1, long count = 1000) =>
        _summaries[model] = () => Summary(model, count, drift: values.Select(v => new FeatureDrift(v.Key, "numerical", "wasserstein", v.Value, threshold, v.Value > threshold,
            5000, count, null, null, null, null, v.Value, false, null, null)).ToList());

    public void Silent(string model) => _summaries[model] = () => Summary(model, 0, lastEvent: null);

    public ModelSummary? GetSummary(string modelId, SummaryWindow window, string? version = null)
    {
        Reads++;
        return _summaries.TryGetValue(modelId, out var make) ? make() : null;
    }

    public ModelTimeline? GetTimeline(string modelId, SummaryWindow window, string? version = null) => null;

    private ModelSummary Summary(string model, long count, LatencySummary? latency = null, IReadOnlyList<FeatureDrift>? drift = null, DateTimeOffset? lastEvent = null)
    {
        var now = clock.GetUtcNow();
        drift ??= [];
        return new ModelSummary(model, model, "binary-classification", "payments-risk", "5m", null, now.AddMinutes(-5), now, now,
            new TrafficSummary(count, count / 300.0, 0, count == 0 ? null : 0, count == 0 ? lastEvent : now),
            new DriftSummary("baseline", drift, drift.Count, drift.Count(d => d.Drifted), drift.Count == 0 ? null : (double)drift.Count(d => d.Drifted) / drift.Count, 0.5, false, null),
            new PredictionSummary(count, 0.5, null, null, null, null), [],
            new PerformanceSummary(count, 0, null, null, null, null, "no labels"),
            latency ?? new LatencySummary(0, null, null, null, null, null, null),
            new SystemSummary(0, null, null, null, 0), new CostSummary(0, null, 0, null, null, null));
    }
}
