using ModelWatch.Engine.Windows;

namespace ModelWatch.Portal.Components.ViewModels;

/// <summary>ConfusionMatrix[i][j] counts label Classes[i] predicted as Classes[j].</summary>
public sealed record ConfusionMatrixView(IReadOnlyList<string> Classes, IReadOnlyList<IReadOnlyList<long>> Counts)
{
    public long Total => Counts.Sum(r => r.Sum());

    public static ConfusionMatrixView? From(PerformanceSummary performance)
    {
        if (performance.Binary is { } b)
            return new(["0", "1"], [[b.TrueNegatives, b.FalsePositives], [b.FalseNegatives, b.TruePositives]]);
        if (performance.Multiclass is { Classes.Count: > 0 } m)
            return new(m.Classes, m.ConfusionMatrix);
        return null;
    }
}

/// <summary>Budget progress as the cost panel shows it.</summary>
public sealed record BudgetView(double MonthToDate, double? Budget, double? Projected, double? UsedShare, Health Health)
{
    public static BudgetView From(CostSummary cost) => new(
        cost.MonthToDate,
        cost.MonthlyBudget,
        cost.ProjectedMonthEnd,
        cost.BudgetUsedShare ?? (cost.MonthlyBudget is > 0 and var b ? cost.MonthToDate / b : null),
        FleetCards.CostHealth(cost));

    /// <summary>Progress bar value 0..100, capped so an overrun still draws a full bar.</summary>
    public double ProgressPercent => Math.Clamp((UsedShare ?? 0) * 100, 0, 100);

    /// <summary>"no spend yet" rather than a bare 0 %, and "&lt; 1 %" for a small but real share.</summary>
    public string UsedText => UsedShare switch
    {
        null => Format.Missing,
        <= 0 when MonthToDate <= 0 => "no spend yet",
        > 0 and < 0.005 => "< 1 %",
        var share => Format.Percent(share, 0),
    };
}

/// <summary>The cost panel's projection: from the recent run-rate, with the month-to-date average next to it.</summary>
public static class CostProjectionText
{
    public static string Value(CostSummary cost) => cost.ProjectedMonthEnd is { } p ? Format.Usd(p) : "not yet";

    public static string Detail(CostSummary cost)
    {
        if (cost.ProjectedMonthEnd is not { } projected) return cost.ProjectionNote ?? "too little spending to project from";
        var basis = cost.RunRatePerDay is { } perDay ? $"at the last {cost.RunRateWindow ?? "24h"}'s {Format.Usd(perDay)}/day" : "at the month's average rate";
        return cost.MonthlyBudget is { } b
            ? $"{(projected > b ? $"{Format.Usd(projected - b)} over" : $"{Format.Usd(b - projected)} under")} budget {basis}"
            : basis;
    }

    public static string AverageDetail(CostSummary cost) => cost.ProjectedFromMonthAverage is { } avg
        ? $"month-to-date average projects {Format.Usd(avg)}"
        : "month-to-date average: too little history";
}

/// <summary>How the performance panel and fleet card name and show the headline metric.</summary>
public static class HeadlineMetric
{
    public static string Title(string metric) => metric switch
    {
        "balancedAccuracy" => "Balanced accuracy",
        "f1" => "F1",
        "macroF1" => "Macro F1",
        "mae" => "MAE",
        _ => "Accuracy",
    };

    /// <summary>Percent for accuracies, a plain number for F1 and MAE (in the label's unit).</summary>
    public static string Value(string metric, double? value) => metric switch
    {
        "accuracy" or "balancedAccuracy" => Format.Percent(value),
        _ => Format.Number(value),
    };

    public static bool IsShare(string metric) => metric is "accuracy" or "balancedAccuracy";

    public static string Interval(string metric, Engine.Statistics.Performance.ConfidenceInterval? interval) => interval is null ? "" :
        IsShare(metric) ? $"95 % CI {Format.Percent(interval.Low)} – {Format.Percent(interval.High)}" : $"95 % CI {Format.Number(interval.Low)} – {Format.Number(interval.High)}";

    /// <summary>What the headline shows: the value, or "too few labels" / "awaiting labels" when there is none to trust.</summary>
    public static string Shown(PerformanceSummary p) =>
        p.Labeled == 0 ? "Awaiting labels" : p.TooFewLabels ? "Too few labels" : Value(p.Headline, p.HeadlineValue);
}

/// <summary>
/// The recent steps whose labels have not arrived yet: trailing steps whose label coverage is under half the
/// window's typical (median) coverage. Metrics there rest on a biased few labels.
/// </summary>
public static class LabelsPending
{
    public static (DateTimeOffset From, DateTimeOffset To)? Span(IReadOnlyList<TimelinePoint> points, TimeSpan step)
    {
        var covered = points.Where(p => p.Predictions > 0 && p.Coverage is not null).ToList();
        if (covered.Count < 3) return null;
        var sorted = covered.Select(p => p.Coverage!.Value).Order().ToList();
        var typical = sorted[sorted.Count / 2];
        if (typical <= 0) return null;
        var firstPending = -1;
        for (var i = covered.Count - 1; i >= 0 && covered[i].Coverage < typical / 2; i--) firstPending = i;
        if (firstPending < 0) return null;
        return (covered[firstPending].Time, covered[^1].Time + step);
    }
}

/// <summary>The drift table's sortable columns.</summary>
public enum DriftSortColumn { Feature, Method, Value, Drifted, Psi }

/// <summary>A chosen sort: a column and a direction. No sort means <see cref="DriftRows.DefaultOrder"/>.</summary>
public sealed record DriftSort(DriftSortColumn Column, bool Descending)
{
    /// <summary>A click on a header: a new column sorts ascending, the same column flips, a third click returns to the default order.</summary>
    public static DriftSort? Next(DriftSort? current, DriftSortColumn clicked) => current switch
    {
        null => new(clicked, false),
        { Column: var c } when c != clicked => new(clicked, false),
        { Descending: false } => current with { Descending = true },
        _ => null,
    };
}

/// <summary>Ordering and wording of the drift table.</summary>
public static class DriftRows
{
    /// <summary>Drifted first, then closest to drifting, so the rows that need attention lead.</summary>
    public static IReadOnlyList<FeatureDrift> DefaultOrder(IEnumerable<FeatureDrift> features) =>
        features.OrderByDescending(f => f.Drifted).ThenByDescending(f => f.Value is { } v && f.Threshold > 0 ? v / f.Threshold : -1).ThenBy(f => f.Feature, StringComparer.Ordinal).ToList();

    /// <summary>Rows in the chosen order; missing values sort below every number whichever the direction.</summary>
    public static IReadOnlyList<FeatureDrift> Sorted(IEnumerable<FeatureDrift> features, DriftSort? sort)
    {
        if (sort is null) return DefaultOrder(features);
        IOrderedEnumerable<FeatureDrift> ordered = sort.Column switch
        {
            DriftSortColumn.Feature => By(features, f => f.Feature, sort.Descending, StringComparer.Ordinal),
            DriftSortColumn.Method => By(features, f => MethodName(f.Method), sort.Descending, StringComparer.Ordinal),
            DriftSortColumn.Drifted => By(features, f => f.Value is null ? -1 : f.Drifted ? 1 : 0, sort.Descending),
            DriftSortColumn.Value => features.OrderBy(f => f.Value is null).ThenBy(f => f.Value ?? 0, Direction(sort.Descending)),
            _ => features.OrderBy(f => f.Psi is null).ThenBy(f => f.Psi ?? 0, Direction(sort.Descending)),
        };
        return ordered.ThenBy(f => f.Feature, StringComparer.Ordinal).ToList();
    }

    private static IOrderedEnumerable<FeatureDrift> By<T>(IEnumerable<FeatureDrift> features, Func<FeatureDrift, T> key, bool descending, IComparer<T>? comparer = null) =>
        descending ? features.OrderByDescending(key, comparer) : features.OrderBy(key, comparer);

    private static IComparer<double> Direction(bool descending) =>
        descending ? Comparer<double>.Create((a, b) => b.CompareTo(a)) : Comparer<double>.Default;

    /// <summary>How close to the threshold: above 1 is drifted for distance methods.</summary>
    public static string ValueText(FeatureDrift f) => f.Value is null ? Format.Missing : Format.Number(f.Value, 4);

    /// <summary>Names a reader from Evidently or scipy recognises; the raw method stays in the tooltip.</summary>
    public static string MethodName(string method) => method switch
    {
        "ks" => "Kolmogorov–Smirnov",
        "chiSquare" => "Chi-square",
        "wasserstein" => "Wasserstein",
        "wassersteinNormalized" => "Wasserstein (norm.)",
        "jensenShannon" => "Jensen–Shannon",
        "psi" => "PSI",
        _ => method,
    };

    public static string Why(FeatureDrift f) => f.Reason ?? (f.Method switch
    {
        "ks" or "chiSquare" => $"p-value {Format.Number(f.PValue, 4)} {(f.Drifted ? "<" : "≥")} {Format.Number(f.Threshold, 2)}",
        _ => $"{Format.Number(f.Value, 3)} {(f.Drifted ? "≥" : "<")} {Format.Number(f.Threshold, 2)}",
    });
}

/// <summary>The problem rates a data-quality chart can show over time.</summary>
public enum QualityRate { Missing, TypeError, OutOfBounds, UnknownCategory }

public static class QualityRates
{
    public static readonly IReadOnlyList<QualityRate> All = [QualityRate.Missing, QualityRate.TypeError, QualityRate.OutOfBounds, QualityRate.UnknownCategory];

    public static string Title(this QualityRate rate) => rate switch
    {
        QualityRate.Missing => "Missing",
        QualityRate.TypeError => "Type errors",
        QualityRate.OutOfBounds => "Out of bounds",
        _ => "Unknown category",
    };

    public static double? Of(this QualityRate rate, FeatureQualityRates r) => rate switch
    {
        QualityRate.Missing => r.Missing,
        QualityRate.TypeError => r.TypeError,
        QualityRate.OutOfBounds => r.OutOfBounds,
        _ => r.UnknownCategory,
    };

    /// <summary>The worst rate a feature shows now: how the quality table is ordered.</summary>
    public static double Worst(FeatureQualitySummary q) =>
        new[] { q.MissingRate, q.TypeErrorRate, q.OutOfBoundsRate, q.UnknownCategoryRate }.Max(r => r ?? 0);

    public static Health HealthOf(double? rate) => rate switch { null => Health.Unknown, > 0.05 => Health.Bad, > 0.01 => Health.Warning, _ => Health.Good };
}
