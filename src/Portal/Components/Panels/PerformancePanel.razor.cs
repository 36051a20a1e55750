using ModelWatch.Engine.Windows;
using ModelWatch.Portal.Components.ViewModels;

namespace ModelWatch.Portal.Components.Panels;

/// <summary>Metrics on labelled predictions with coverage; a confusion matrix for classifiers, residuals for regression.</summary>
public partial class PerformancePanel : PanelBase
{
    private PerformanceSummary Perf => Summary.Performance;
    private bool IsRegression => Perf.Regression is not null;
    private string PrimaryName => IsRegression ? "MAE" : "Accuracy";
    private ConfusionMatrixView? Matrix => ConfusionMatrixView.From(Perf);

    private IReadOnlyList<SeriesSpec> MetricSeries =>
    [
        new(PrimaryName, p => p.PrimaryMetric, Charts.Current),
        new("Label coverage", p => p.Coverage, Charts.Reference, Dashed: true, SecondaryAxis: true),
    ];

    /// <summary>(label, value, test id) in the order a reader expects for the task; the first is the timeline's metric.</summary>
    private IEnumerable<(string Label, string Value, string TestId)> Metrics
    {
        get
        {
            if (Perf.Binary is { } b)
            {
                yield return ("Accuracy", Format.Percent(b.Accuracy), "perf-primary");
                yield return ("Precision", Format.Number(b.Precision), "perf-precision");
                yield return ("Recall", Format.Number(b.Recall), "perf-recall");
                yield return ("F1", Format.Number(b.F1), "perf-f1");
                yield return ("ROC AUC", Format.Number(b.RocAuc), "perf-auc");
                yield return ("Log loss", Format.Number(b.LogLoss), "perf-logloss");
            }
            else if (Perf.Multiclass is { } m)
            {
                yield return ("Accuracy", Format.Percent(m.Accuracy), "perf-primary");
                yield return ("Macro F1", Format.Number(m.MacroF1), "perf-macro-f1");
                yield return ("Weighted F1", Format.Number(m.WeightedF1), "perf-weighted-f1");
            }
            else if (Perf.Regression is { } r)
            {
                yield return ("MAE", Format.Number(r.Mae), "perf-primary");
                yield return ("RMSE", Format.Number(r.Rmse), "perf-rmse");
                yield return ("MAPE", Format.Percent(r.Mape), "perf-mape");
                yield return ("R²", Format.Number(r.R2), "perf-r2");
            }
        }
    }
}
