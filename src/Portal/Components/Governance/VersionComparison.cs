using ModelWatch.Engine.Registry;
using ModelWatch.Engine.Windows;
using ModelWatch.Portal.Components.ViewModels;

namespace ModelWatch.Portal.Components.Governance;

/// <summary>One row of the comparison: a name and the value for each version, and whether they differ.</summary>
public sealed record ComparedValue(string Name, string Left, string Right)
{
    public bool Differs => !string.Equals(Left, Right, StringComparison.Ordinal);
}

/// <summary>Two versions side by side: hyperparameters, offline metrics, and live numbers over the last day.</summary>
public sealed record VersionComparison(
    string Model, string LeftVersion, string RightVersion,
    IReadOnlyList<FieldChange> Hyperparameters, IReadOnlyList<ComparedValue> OfflineMetrics, IReadOnlyList<ComparedValue> Live,
    string? LiveProblem)
{
    public const string NoValue = Format.Missing;

    public static VersionComparison Build(RegistryVersion left, RegistryVersion right, ModelSummary? leftLive, ModelSummary? rightLive, string? liveProblem = null)
    {
        var hyper = JsonDiff.Compare(left.Info.HyperparametersJson, right.Info.HyperparametersJson, includeSame: true);
        var l = JsonDiff.Flatten(left.Info.MetricsJson);
        var r = JsonDiff.Flatten(right.Info.MetricsJson);
        var metrics = l.Keys.Union(r.Keys).Order(StringComparer.Ordinal)
            .Select(k => new ComparedValue(k, l.GetValueOrDefault(k) ?? NoValue, r.GetValueOrDefault(k) ?? NoValue)).ToList();
        var live = liveProblem is null ? LiveRows(leftLive, rightLive) : [];
        return new VersionComparison(left.Info.ModelId, left.Info.Version, right.Info.Version, hyper, metrics, live, liveProblem);
    }

    private static IReadOnlyList<ComparedValue> LiveRows(ModelSummary? a, ModelSummary? b)
    {
        ComparedValue Row(string name, Func<ModelSummary, string> value) => new(name, a is null ? NoValue : value(a), b is null ? NoValue : value(b));
        return
        [
            Row("Predictions (24h)", s => Format.Count(s.Traffic.Predictions)),
            Row("Drifted features", s => s.Drift.EvaluatedCount == 0 ? NoValue : $"{s.Drift.DriftedCount} of {s.Drift.EvaluatedCount}"),
            Row("Dataset drift", s => s.Drift.EvaluatedCount == 0 ? NoValue : s.Drift.DatasetDrift ? "yes" : "no"),
            Row("Label coverage", s => Format.Percent(s.Performance.Coverage)),
            Row(PerformanceName(a ?? b), s => Performance(s.Performance)),
            Row("Latency p95", s => Format.Ms(s.Latency.P95)),
            Row("Latency p99", s => Format.Ms(s.Latency.P99)),
            Row("Error rate", s => Format.Percent(s.Traffic.ErrorRate, 2)),
            Row("Cost (24h)", s => Format.Usd(s.Cost.Total)),
            Row("Cost per 1k predictions", s => Format.Usd(s.Cost.PerThousandPredictions)),
        ];
    }

    private static string PerformanceName(ModelSummary? s) => s?.Performance switch
    {
        { Regression: not null } => "RMSE",
        { Multiclass: not null } => "Macro F1",
        _ => s?.Task == "regression" ? "RMSE" : s?.Task == "multiclass-classification" ? "Macro F1" : "F1",
    };

    private static string Performance(PerformanceSummary p) => p switch
    {
        { Binary: { } bin } => Format.Number(bin.F1),
        { Multiclass: { } multi } => Format.Number(multi.MacroF1),
        { Regression: { } reg } => Format.Number(reg.Rmse),
        _ => NoValue,
    };
}
