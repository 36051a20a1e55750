using Microsoft.AspNetCore.Components;
using ModelWatch.Engine.Windows;
using ModelWatch.Portal.Components.ViewModels;

namespace ModelWatch.Portal.Components.Fleet;

/// <summary>One model's health at a glance. Pure: the fleet page loads data and pushes live updates in.</summary>
public partial class FleetCard : ComponentBase
{
    private static readonly SeriesSpec QualitySpark = new("Share of features drifted", p => p.DriftShare, Charts.Warning, Fill: true);
    private static readonly SeriesSpec OperationsSpark = new("Latency p95", p => p.P95, Charts.Current, Fill: true);

    [Parameter, EditorRequired] public FleetCardView Card { get; set; } = default!;
    [Parameter, EditorRequired] public TimelineBuffer Timeline { get; set; } = TimelineBuffer.Empty;
    [Parameter] public ViewKind View { get; set; }
    [Parameter] public SummaryWindow Window { get; set; } = SummaryWindow.OneHour;
    [Parameter] public DateTimeOffset Now { get; set; }

    private string Href => PageState.ModelHref(Card.ModelId, Window);
    private string AlertsHref => Href + (Href.Contains('?') ? "&" : "?") + PageState.TabKey + "=" + ModelTab.Alerts.ToName();
    private string WindowName => Window.ToName();
    /// <summary>The viewer's line with the line it is judged against: the dataset-drift threshold, or the latency SLO.</summary>
    private IReadOnlyList<SeriesSpec> SparkSeries => View == ViewKind.Operations
        ? Card.LatencySloMs is { } slo ? [OperationsSpark, new("SLO", _ => slo, Charts.Bad, Dashed: true)] : [OperationsSpark]
        : Card.DriftShareThreshold is { } threshold ? [QualitySpark, new("Dataset drift threshold", _ => threshold, Charts.Bad, Dashed: true)] : [QualitySpark];

    private string SparkKey => $"{View}|{Card.LatencySloMs}|{Card.DriftShareThreshold}";

    private string SparkTitle => View == ViewKind.Operations
        ? $"p95 latency, last {WindowName}{(Card.LatencySloMs is { } slo ? $" (SLO {Format.Ms(slo)} dashed)" : "")}"
        : $"share of features drifted, last {WindowName}{(Card.DriftShareThreshold is { } t ? $" (dataset drift at {Format.Percent(t, 0)} dashed)" : "")}";

    private IReadOnlyList<string> NamedDrifted => (Card.DriftedFeatures ?? []).Take(FleetCardView.NamedDriftedFeatures).ToList();

    private int MoreDrifted => Math.Max(0, (Card.DriftedFeatures?.Count ?? 0) - FleetCardView.NamedDriftedFeatures);

    /// <summary>The model page's drift tab opened on that feature.</summary>
    private string FeatureHref(string feature) =>
        "models/" + Uri.EscapeDataString(Card.ModelId) + new PageState(Window, null, ModelTab.Drift).ToQuery() + $"&{PageState.FeatureKey}={Uri.EscapeDataString(feature)}";
}
