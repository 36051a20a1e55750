using ModelWatch.Engine.Windows;
using ModelWatch.Portal.Components.ViewModels;

namespace ModelWatch.Portal.Components.Panels;

/// <summary>The prediction distribution against the reference, its drift, and the mean prediction over time.</summary>
public partial class PredictionsPanel : PanelBase
{
    private static readonly IReadOnlyList<SeriesSpec> MeanSeries = [new("Mean prediction", p => p.PredictionMean, Charts.Current)];

    private PredictionSummary P => Summary.Predictions;

    private string DriftValue => P.Drift is { Value: not null } d ? (d.Drifted ? "Drifted" : "No drift") : Format.Missing;

    private string DriftDetail => P.Drift is { } d ? $"{DriftRows.MethodName(d.Method)} {DriftRows.ValueText(d)} (threshold {Format.Number(d.Threshold, 2)})" : "no reference predictions";

    private Health DriftHealth => P.Drift is { Value: not null } d ? (d.Drifted ? Health.Bad : Health.Good) : Health.Unknown;
}
