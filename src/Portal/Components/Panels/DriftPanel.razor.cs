using Microsoft.AspNetCore.Components;
using ModelWatch.Engine.Windows;
using ModelWatch.Portal.Components.ViewModels;

namespace ModelWatch.Portal.Components.Panels;

/// <summary>Per-feature drift with why (method, value, threshold, sample sizes), one feature's histograms and history.</summary>
public partial class DriftPanel : PanelBase
{
    private string? _clickedFeature;
    private string? _urlFeature;
    private DateTimeOffset? _focus;

    /// <summary>The feature chosen in the URL (?feature=), so a shared link opens on it.</summary>
    [Parameter] public string? SelectedFeature { get; set; }

    /// <summary>Raised on a click, so the page can write the choice into the URL.</summary>
    [Parameter] public EventCallback<string> SelectedFeatureChanged { get; set; }

    private DriftSummary Drift => Summary.Drift;
    private IReadOnlyList<FeatureDrift> Rows => DriftRows.DefaultOrder(Drift.Features);

    /// <summary>The clicked feature, else the URL's, else the most drifted one.</summary>
    private FeatureDrift? Selected =>
        Drift.Features.FirstOrDefault(f => f.Feature == (_clickedFeature ?? SelectedFeature)) ?? Rows.FirstOrDefault();

    protected override void OnParametersSet()
    {
        // A navigation (back, a shared link) that names another feature wins over the last click; a live re-render does not.
        if (SelectedFeature == _urlFeature) return;
        _urlFeature = SelectedFeature;
        _clickedFeature = null;
    }

    private IReadOnlyList<SeriesSpec> ShareSeries =>
    [
        new("Share drifted", p => p.DriftShare, Charts.Current, Fill: true),
        new("Threshold", _ => Drift.ShareThreshold, Charts.Bad, Dashed: true),
    ];

    private static IReadOnlyList<SeriesSpec> FeatureSeries(FeatureDrift feature) =>
    [
        new(DriftRows.MethodName(feature.Method), p => p.FeatureDrift.TryGetValue(feature.Feature, out var v) ? v : null, Charts.Current),
        new("Threshold", _ => feature.Threshold, Charts.Bad, Dashed: true),
    ];

    private string DatasetDriftText => Drift.EvaluatedCount == 0 ? Format.Missing : Drift.DatasetDrift ? "Yes" : "No";

    private Health DatasetHealth => Drift.EvaluatedCount == 0 ? Health.Unknown : Drift.DatasetDrift ? Health.Bad : Drift.DriftedCount > 0 ? Health.Warning : Health.Good;

    private string PredictionDriftText => Summary.Predictions.Drift is { Value: not null } d ? (d.Drifted ? "Drifted" : "No drift") : Format.Missing;

    private string PredictionDriftDetail => Summary.Predictions.Drift is { } d ? $"{DriftRows.MethodName(d.Method)} {DriftRows.ValueText(d)} vs {Format.Number(d.Threshold, 2)}" : "no prediction reference";

    private Health PredictionDriftHealth => Summary.Predictions.Drift is { Value: not null } d ? (d.Drifted ? Health.Bad : Health.Good) : Health.Unknown;

    /// <summary>A heatmap click: that feature, with the clicked step marked on its history.</summary>
    private Task OpenCell((string Feature, DateTimeOffset Time) cell)
    {
        _focus = cell.Time;
        return Choose(cell.Feature);
    }

    private string FeatureChartKey(FeatureDrift feature) => _focus is { } t ? $"{feature.Feature}@{t:O}" : feature.Feature;

    private IReadOnlyList<Plotly.Blazor.LayoutLib.Shape> FocusShapes(IReadOnlyList<TimelinePoint> points)
    {
        if (_focus is not { } time) return [];
        var step = points.Count > 1 ? points[1].Time - points[0].Time : TimeSpan.FromMinutes(1);
        return [Charts.Span(time, time + step, "selected step")];
    }

    private Task SelectFeature(string feature)
    {
        _focus = null;
        return Choose(feature);
    }

    private Task Choose(string feature)
    {
        _clickedFeature = feature;
        return SelectedFeatureChanged.InvokeAsync(feature);
    }
}
