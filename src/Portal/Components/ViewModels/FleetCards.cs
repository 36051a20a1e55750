using ModelWatch.Engine.Registry;
using ModelWatch.Engine.Windows;

namespace ModelWatch.Portal.Components.ViewModels;

/// <summary>One health number on a fleet card. Key is stable for tests and CSS: drift, performance, latency, errors, cost.</summary>
public sealed record FleetStat(string Key, string Label, string Value, string Detail, Health Health);

/// <summary>A fleet card: the model, its stats in the viewer's order, and whether there is anything to show.</summary>
public sealed record FleetCardView(
    string ModelId,
    string Name,
    string Task,
    string? Team,
    bool HasTraffic,
    string? Error,
    DateTimeOffset? LastEventAt,
    IReadOnlyList<FleetStat> Stats,
    IReadOnlyList<string>? DriftedFeatures = null,
    double? DriftShareThreshold = null,
    double? LatencySloMs = null)
{
    /// <summary>The drifted features named on the card, most drifted first.</summary>
    public const int NamedDriftedFeatures = 3;

    public Health Worst(ViewKind view) => Stats.Where(s => FleetCards.ConcernOf(s.Key) == view).Select(s => s.Health).DefaultIfEmpty(Health.Unknown).Max();
}

/// <summary>Maps summaries to fleet cards and orders them by what the viewer cares about.</summary>
public static class FleetCards
{
    private static readonly string[] QualityKeys = ["drift", "performance"];
    private static readonly string[] OperationsKeys = ["latency", "errors", "cost"];

    public static ViewKind ConcernOf(string key) => QualityKeys.Contains(key) ? ViewKind.Quality : ViewKind.Operations;

    public static FleetCardView From(ModelDefinition model, ModelSummary? summary, ViewKind view, string? error = null)
    {
        var task = model.Task.ToName();
        if (summary is null)
            return new(model.Id, model.Name, task, model.TeamId, false, error, null, []);

        FleetStat[] stats = [Drift(summary.Drift), Performance(summary.Performance), Latency(summary.Latency), Errors(summary.Traffic), Cost(summary.Cost)];
        var ordered = view == ViewKind.Quality
            ? stats.OrderBy(s => ConcernOf(s.Key) == ViewKind.Quality ? 0 : 1)
            : stats.OrderBy(s => ConcernOf(s.Key) == ViewKind.Operations ? 0 : 1);
        var drifted = DriftRows.DefaultOrder(summary.Drift.Features).Where(f => f.Drifted).Select(f => f.Feature).ToList();
        return new(model.Id, model.Name, task, model.TeamId, summary.Traffic.Predictions > 0, error, summary.Traffic.LastEventAt, ordered.ToList(),
            drifted, summary.Drift.EvaluatedCount > 0 ? summary.Drift.ShareThreshold : null, summary.Latency.SloMs);
    }

    /// <summary>Worst first on the viewer's concerns, then on the others; models without traffic last; then by name.</summary>
    public static IReadOnlyList<FleetCardView> Order(IEnumerable<FleetCardView> cards, ViewKind view)
    {
        var other = view == ViewKind.Quality ? ViewKind.Operations : ViewKind.Quality;
        return cards
            .OrderBy(c => c.HasTraffic ? 0 : 1)
            .ThenByDescending(c => c.Worst(view))
            .ThenByDescending(c => c.Worst(other))
            .ThenBy(c => c.Name, StringComparer.OrdinalIgnoreCase)
            .ToList();
    }

    public static FleetStat Drift(DriftSummary drift)
    {
        if (drift.EvaluatedCount == 0)
            return new("drift", "Drift", "Not evaluated", drift.Reason ?? "no reference or no current data", Health.Unknown);
        var detail = $"{drift.DriftedCount} of {drift.EvaluatedCount} features drifted";
        if (drift.DatasetDrift) return new("drift", "Drift", "Dataset drift", detail, Health.Bad);
        if (drift.DriftedCount > 0) return new("drift", "Drift", "Partial drift", detail, Health.Warning);
        return new("drift", "Drift", "No drift", detail, Health.Good);
    }

    public static FleetStat Performance(PerformanceSummary performance)
    {
        var coverage = $"label coverage {Format.Percent(performance.Coverage)}";
        if (performance.Labeled == 0)
            return new("performance", "Performance", "Awaiting labels", coverage, Health.Unknown);
        var title = HeadlineMetric.Title(performance.Headline);
        if (performance.TooFewLabels)
            return new("performance", title, "Too few labels", $"{Format.Count(performance.Labeled)} of {Format.Count(performance.MinimumLabels)} needed · {coverage}", Health.Unknown);
        var value = HeadlineMetric.Value(performance.Headline, performance.HeadlineValue);
        var health = performance.HeadlineValue is null ? Health.Unknown : Health.Good;
        if (performance.Binary is { } b)
            return new("performance", title, value, $"{Others(performance.Headline, b)} · {coverage}", health);
        if (performance.Multiclass is { } m)
            return new("performance", title, value, $"{(performance.Headline == "macroF1" ? $"accuracy {Format.Percent(m.Accuracy)}" : $"macro F1 {Format.Number(m.MacroF1)}")} · {coverage}", health);
        if (performance.Regression is { } r)
            return new("performance", title, value, $"in the label's units · R² {Format.Number(r.R2)} · {coverage}", health);
        return new("performance", "Performance", Format.Missing, performance.Reason ?? coverage, Health.Unknown);
    }

    /// <summary>The binary metrics next to the headline: recall always, since it is what accuracy hides.</summary>
    private static string Others(string headline, BinaryPerformance b) => headline switch
    {
        "accuracy" => $"recall {Format.Number(b.Recall, 2)} · F1 {Format.Number(b.F1, 2)}",
        "f1" => $"recall {Format.Number(b.Recall, 2)} · accuracy {Format.Percent(b.Accuracy)}",
        _ => $"recall {Format.Number(b.Recall, 2)} · accuracy {Format.Percent(b.Accuracy)}",
    };

    public static FleetStat Latency(LatencySummary latency)
    {
        var slo = latency.SloMs is { } s ? $"SLO {Format.Ms(s)}" : "no SLO set";
        if (latency.P95 is not { } p95) return new("latency", "Latency p95", Format.Missing, slo, Health.Unknown);
        var health = latency.SloMs is not { } limit ? Health.Unknown
            : p95 > limit ? Health.Bad
            : p95 > 0.8 * limit ? Health.Warning
            : Health.Good;
        return new("latency", "Latency p95", Format.Ms(p95), slo, health);
    }

    public static FleetStat Errors(TrafficSummary traffic)
    {
        var detail = $"{Format.Plural(traffic.Errors, "error")} · {Format.PerSecond(traffic.EventsPerSecond)}";
        var health = traffic.ErrorRate switch
        {
            null => Health.Unknown,
            > 0.05 => Health.Bad,
            > 0.01 => Health.Warning,
            _ => Health.Good,
        };
        return new("errors", "Error rate", Format.Percent(traffic.ErrorRate, 2), detail, health);
    }

    /// <summary>The share over budget at which a projected overrun turns from amber to red.</summary>
    public const double BadOverrun = 1.25;

    public static FleetStat Cost(CostSummary cost)
    {
        if (cost.MonthlyBudget is not { } budget)
            return new("cost", "Spend (month)", Format.Usd(cost.MonthToDate), "no budget set", Health.Unknown);
        var projected = cost.ProjectedMonthEnd is { } p ? $"projected {Format.Usd(p)}" : "projection not yet";
        return new("cost", "Spend (month)", Format.Usd(cost.MonthToDate), $"of {Format.Usd(budget)} · {projected}", CostHealth(cost));
    }

    /// <summary>
    /// Red when the month is already over budget or the recent run-rate overshoots it by a quarter; amber when the
    /// run-rate would exceed it; unknown until there is anything to project.
    /// </summary>
    public static Health CostHealth(CostSummary cost)
    {
        if (cost.MonthlyBudget is not { } budget) return Health.Unknown;
        if (cost.MonthToDate > budget || cost.ProjectedMonthEnd > budget * BadOverrun) return Health.Bad;
        if (cost.ProjectedMonthEnd > budget) return Health.Warning;
        return cost.ProjectedMonthEnd is null && cost.MonthToDate <= 0 ? Health.Unknown : Health.Good;
    }
}
