using ModelWatch.Engine.Registry;
using ModelWatch.Engine.Statistics.Cost;
using ModelWatch.Engine.Statistics.Drift;

namespace ModelWatch.Engine.Windows;

/// <summary>Builds the summary and timeline objects from merged buckets. Pure: everything it needs is passed in.</summary>
internal static class SummaryBuilder
{
    public static ModelSummary Summary(
        ModelDefinition model, SummaryWindow window, string? version, DateTimeOffset from, DateTimeOffset to, DateTimeOffset now,
        MinuteBucket current, SystemBucket system, DriftComparer drift, double monthToDateUsd, DateTimeOffset? spendingSince, DateTimeOffset? lastEventAt,
        MetricOptions metrics, RecentSpend? recentSpend = null)
    {
        var features = drift.Features(current, withDistribution: true);
        var dataset = DatasetDrift(features, drift.Policy);
        // Averaged over the part of the window that had traffic, so a model that started sending five minutes ago
        // does not show a twelfth of its rate on a one-hour window.
        var activeFrom = current.FirstMinute is { } first && first * 60_000 > from.ToUnixTimeMilliseconds() ? DateTimeOffset.FromUnixTimeMilliseconds(first * 60_000) : from;
        var seconds = Math.Max(1, (Min(now, to) - activeFrom).TotalSeconds);
        var latency = current.Latency.Summarise();
        var p95 = latency.P95;

        var cost = CostProjection.Summarise((decimal)(current.CostUsd + system.CostRecordsUsd), current.Predictions, (decimal)monthToDateUsd,
            model.MonthlyBudgetUsd is { } budget ? (decimal)budget : null, now, spendingSince, recentSpend);

        return new ModelSummary(
            model.Id, model.Name, model.Task.ToName(), model.TeamId, window.ToName(), version, from, to, now,
            new TrafficSummary(current.Predictions, current.Predictions / seconds, system.Errors, ErrorRate(current.Predictions, system.Errors), lastEventAt),
            new DriftSummary(drift.ReferenceName, features, dataset.EvaluatedCount, dataset.DriftedCount, dataset.DriftedShare, dataset.Threshold, dataset.Drifted, dataset.Reason),
            Predictions(current, drift),
            Quality(model, current),
            Performance(model, current, drift.Reference, metrics),
            new LatencySummary(latency.Count, latency.P50, latency.P90, p95, latency.P99, model.LatencySloMs,
                model.LatencySloMs is { } slo && p95 is { } p ? p > slo : null),
            new SystemSummary(system.Samples, system.CpuPercent, system.MemoryMb, system.GpuPercent, system.Errors),
            new CostSummary((double)cost.WindowCost, (double?)cost.CostPerThousandPredictions, (double)cost.MonthToDate, model.MonthlyBudgetUsd,
                (double?)cost.ProjectedMonthEnd, (double?)cost.BudgetUsedShare, (double?)cost.RunRatePerDay, RunRateName(metrics.CostRunRateWindow),
                (double?)cost.ProjectedFromMonthAverage, cost.ProjectionNote));
    }

    private static string RunRateName(TimeSpan window) =>
        window.TotalHours >= 1 && window.TotalHours % 1 == 0 ? $"{window.TotalHours:0}h" : $"{window.TotalMinutes:0}m";

    /// <param name="historyStart">The window's first data: steps before it have no data (null, not zero), and the step it
    /// falls in averages its rates from there. The step still filling at <paramref name="now"/> averages over the seconds elapsed.</param>
    public static TimelinePoint Point(ModelDefinition model, DateTimeOffset time, TimeSpan step, MinuteBucket current, SystemBucket system, DriftComparer drift,
        MetricOptions metrics, DateTimeOffset? historyStart, DateTimeOffset now)
    {
        var features = drift.Features(current, withDistribution: false);
        var dataset = DatasetDrift(features, drift.Policy);
        var latency = current.Latency.Summarise();
        var quality = new Dictionary<string, FeatureQualityRates>(StringComparer.Ordinal);
        for (var i = 0; i < model.Features.Count; i++) quality[model.Features[i].Name] = current.Quality(i).Rates();
        var end = time + step;
        var partial = now < end;
        var hasData = historyStart is { } h && h < end;
        var coveredFrom = hasData && historyStart > time ? historyStart.Value : time;
        var seconds = Math.Max(1, ((partial ? now : end) - coveredFrom).TotalSeconds);
        return new TimelinePoint(
            time, current.Predictions, hasData ? current.Predictions / seconds : null,
            latency.P50, latency.P95, latency.P99, system.Errors, ErrorRate(current.Predictions, system.Errors),
            hasData ? current.CostUsd + system.CostRecordsUsd : null, system.CpuPercent, system.MemoryMb, system.GpuPercent,
            current.PredictionNumbers == 0 ? null : current.PredictionSum / current.PredictionNumbers,
            PerformanceReport.Headline(model, current.Performance, metrics).Value,
            current.Predictions == 0 ? null : Math.Min(1, (double)current.Performance.Count / current.Predictions),
            dataset.DriftedShare,
            features.ToDictionary(f => f.Feature, f => f.Value, StringComparer.Ordinal),
            quality, partial, current.Performance.Count);
    }

    private static DatasetDriftResult DatasetDrift(IReadOnlyList<FeatureDrift> features, DriftPolicy policy)
    {
        var evaluated = features.Where(f => f.Reason is null).ToList();
        if (evaluated.Count == 0)
            return new DatasetDriftResult(features.Count, 0, 0, null, policy.DatasetDriftShare, false,
                features.Count == 0 ? "The model declares no features." : features[0].Reason ?? "No feature has data in both the reference and this window.");
        var drifted = evaluated.Count(f => f.Drifted);
        var share = (double)drifted / evaluated.Count;
        return new DatasetDriftResult(features.Count, evaluated.Count, drifted, share, policy.DatasetDriftShare, share >= policy.DatasetDriftShare, null);
    }

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

    private static double? ErrorRate(long predictions, long errors) => predictions + errors == 0 ? null : (double)errors / (predictions + errors);

    private static PredictionSummary Predictions(MinuteBucket current, DriftComparer drift)
    {
        var histogram = current.PredictionHistogram;
        return new PredictionSummary(
            current.Predictions,
            current.PredictionNumbers == 0 ? null : current.PredictionSum / current.PredictionNumbers,
            drift.Prediction(current, withDistribution: true),
            HistogramQuantile.Of(histogram, 0.1), HistogramQuantile.Of(histogram, 0.5), HistogramQuantile.Of(histogram, 0.9));
    }

    private static List<FeatureQualitySummary> Quality(ModelDefinition model, MinuteBucket current)
    {
        var result = new List<FeatureQualitySummary>(model.Features.Count + current.Undeclared.Count);
        for (var i = 0; i < model.Features.Count; i++)
        {
            var q = current.Quality(i);
            var rates = q.Rates();
            result.Add(new FeatureQualitySummary(model.Features[i].Name, true, q.Rows, rates.Missing, rates.TypeError,
                model.Features[i].Type == FeatureType.Numerical ? rates.OutOfBounds : null,
                model.Features[i].Type == FeatureType.Categorical ? rates.UnknownCategory : null, 0));
        }
        foreach (var (name, count) in current.Undeclared.OrderBy(u => u.Key, StringComparer.Ordinal))
            result.Add(new FeatureQualitySummary(name, false, 0, null, null, null, null, count));
        return result;
    }

    private static PerformanceSummary Performance(ModelDefinition model, MinuteBucket current, IDriftReference? reference, MetricOptions metrics)
    {
        var labeled = current.Performance.Count;
        double? coverage = current.Predictions == 0 ? null : Math.Min(1, (double)labeled / current.Predictions);
        var (headline, value, interval) = PerformanceReport.Headline(model, current.Performance, metrics);
        if (labeled == 0)
        {
            var reason = current.Predictions == 0
                ? "No predictions in this window."
                : $"Awaiting labels: none of the {current.Predictions:N0} predictions in this window has ground truth yet. Send it with POST /api/v1/models/{model.Id}/labels.";
            return new PerformanceSummary(current.Predictions, 0, coverage, null, null, null, reason, headline, null, null, metrics.MinimumLabels);
        }
        var tooFew = labeled < metrics.MinimumLabels
            ? $"Too few labels: {labeled:N0} of the {metrics.MinimumLabels:N0} needed for a metric to mean something."
            : null;
        return model.Task switch
        {
            ModelTask.BinaryClassification => new PerformanceSummary(current.Predictions, labeled, coverage, PerformanceReport.Binary(current.Performance, model.DecisionThreshold), null, null, tooFew, headline, value, interval, metrics.MinimumLabels),
            ModelTask.MulticlassClassification => new PerformanceSummary(current.Predictions, labeled, coverage, null, PerformanceReport.Multiclass(current.Performance), null, tooFew, headline, value, interval, metrics.MinimumLabels),
            _ => new PerformanceSummary(current.Predictions, labeled, coverage, null, null, PerformanceReport.Regression(current.Performance, Residuals(current, reference)), tooFew, headline, value, interval, metrics.MinimumLabels),
        };
    }

    private static DistributionComparison? Residuals(MinuteBucket current, IDriftReference? reference)
    {
        if (current.ResidualHistogram is not { Count: > 0 } h || reference?.Histogram(ReferenceSample.ResidualColumn, h.Edges) is not { } referenceHistogram) return null;
        var edges = h.Edges.Values;
        var labels = Enumerable.Range(0, h.Counts.Count).Select(i => i == 0 ? $"< {edges[0]:0.##}" : i == h.Counts.Count - 1 ? $"> {edges[^1]:0.##}" : $"{edges[i - 1]:0.##} – {edges[i]:0.##}").ToList();
        double total = h.Counts.Sum(), referenceTotal = Math.Max(1, referenceHistogram.Counts.Sum());
        return new DistributionComparison(labels, referenceHistogram.Counts.Select(c => c / referenceTotal).ToList(), h.Counts.Select(c => c / total).ToList());
    }
}

/// <summary>Quantiles from a fixed-bin histogram, interpolating linearly inside the bin.</summary>
internal static class HistogramQuantile
{
    public static double? Of(FixedBinHistogram? histogram, double q)
    {
        if (histogram is null || histogram.Count == 0) return null;
        var edges = histogram.Edges.Values;
        var target = q * histogram.Count;
        double cumulative = 0;
        for (var i = 0; i < histogram.Counts.Count; i++)
        {
            var count = histogram.Counts[i];
            if (count == 0 || cumulative + count < target) { cumulative += count; continue; }
            double lower = i == 0 ? histogram.Min : edges[Math.Min(i - 1, edges.Count - 1)];
            double upper = i == histogram.Counts.Count - 1 ? histogram.Max : edges[Math.Min(i, edges.Count - 1)];
            if (i == 0) upper = Math.Min(upper, edges[0]);
            var fraction = (target - cumulative) / count;
            return lower + (upper - lower) * Math.Clamp(fraction, 0, 1);
        }
        return histogram.Max;
    }
}
