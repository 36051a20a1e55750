using ModelWatch.Engine.Windows;
using ModelWatch.Portal.Components.ViewModels;

namespace ModelWatch.Portal.Components.Panels;

/// <summary>Metrics on labelled predictions with coverage; a confusion matrix for classifiers, residuals for regression.</summary>
public partial class PerformancePanel : PanelBase
{
    private PerformanceSummary Perf => Summary.Performance;
    private bool IsRegression => Perf.Regression is not null;
    private string PrimaryName => HeadlineMetric.Title(Perf.Headline);

    private string HeadlineDetail => Perf.TooFewLabels
        ? $"{Format.Count(Perf.Labeled)} of {Format.Count(Perf.MinimumLabels)} labels needed"
        : string.Join(" · ", new[] { IsRegression ? "in the label's units" : "", HeadlineMetric.Interval(Perf.Headline, Perf.HeadlineInterval) }.Where(p => p.Length > 0));

    private IReadOnlyList<Plotly.Blazor.LayoutLib.Shape> PendingShapes(IReadOnlyList<TimelinePoint> points) =>
        LabelsPending.Span(points, StepOf(points)) is { } span ? [Charts.Span(span.From, span.To, "labels pending")] : [];

    private static TimeSpan StepOf(IReadOnlyList<TimelinePoint> points) => points.Count >= 2 ? points[^1].Time - points[^2].Time : TimeSpan.FromMinutes(1);
    private ConfusionMatrixView? Matrix => ConfusionMatrixView.From(Perf);

    private IReadOnlyList<SeriesSpec> MetricSeries =>
    [
        new(PrimaryName, p => p.PrimaryMetric, Charts.Current),
        new("Label coverage", p => p.Coverage, Charts.Reference, Dashed: true, SecondaryAxis: true),
    ];

    /// <summary>(label, value, test id) after the headline, in the order a reader expects for the task.</summary>
    private IEnumerable<(string Label, string Value, string TestId)> Metrics
    {
        get
        {
            if (Perf.Binary is { } b)
            {
                if (Perf.Headline != "accuracy") yield return ("Accuracy", Format.Percent(b.Accuracy), "perf-accuracy");
                if (Perf.Headline != "balancedAccuracy") yield return ("Balanced accuracy", Format.Percent(b.BalancedAccuracy), "perf-balanced-accuracy");
                yield return ("Precision", Format.Number(b.Precision), "perf-precision");
                yield return ("Recall", Format.Number(b.Recall), "perf-recall");
                if (Perf.Headline != "f1") yield return ("F1", Format.Number(b.F1), "perf-f1");
                yield return ("ROC AUC", Format.Number(b.RocAuc), "perf-auc");
                yield return ("Log loss", Format.Number(b.LogLoss), "perf-logloss");
            }
            else if (Perf.Multiclass is { } m)
            {
                if (Perf.Headline != "accuracy") yield return ("Accuracy", Format.Percent(m.Accuracy), "perf-accuracy");
                if (Perf.Headline != "macroF1") yield return ("Macro F1", Format.Number(m.MacroF1), "perf-macro-f1");
                yield return ("Weighted F1", Format.Number(m.WeightedF1), "perf-weighted-f1");
            }
            else if (Perf.Regression is { } r)
            {
                yield return ("RMSE", Format.Number(r.Rmse), "perf-rmse");
                yield return ("MAPE", Format.Percent(r.Mape), "perf-mape");
                yield return ("R²", Format.Number(r.R2), "perf-r2");
            }
        }
    }
}
