using Microsoft.AspNetCore.Components;
using ModelWatch.Engine.Windows;
using ModelWatch.Portal.Components.ViewModels;

namespace ModelWatch.Portal.Components.Fleet;

/// <summary>One model's health at a glance. Pure: the fleet page loads data and pushes live updates in.</summary>
public partial class FleetCard : ComponentBase
{
    private static readonly IReadOnlyList<SeriesSpec> QualitySpark = [new("Share of features drifted", p => p.DriftShare, Charts.Warning, Fill: true)];
    private static readonly IReadOnlyList<SeriesSpec> OperationsSpark = [new("Latency p95", p => p.P95, Charts.Current, Fill: true)];

    [Parameter, EditorRequired] public FleetCardView Card { get; set; } = default!;
    [Parameter, EditorRequired] public TimelineBuffer Timeline { get; set; } = TimelineBuffer.Empty;
    [Parameter] public ViewKind View { get; set; }
    [Parameter] public SummaryWindow Window { get; set; } = SummaryWindow.OneHour;
    [Parameter] public DateTimeOffset Now { get; set; }

    private string Href => PageState.ModelHref(Card.ModelId, Window);
    private string AlertsHref => Href + (Href.Contains('?') ? "&" : "?") + PageState.TabKey + "=" + ModelTab.Alerts.ToName();
    private string WindowName => Window.ToName();
    private IReadOnlyList<SeriesSpec> SparkSeries => View == ViewKind.Operations ? OperationsSpark : QualitySpark;
    private string SparkTitle => View == ViewKind.Operations ? $"p95 latency, last {WindowName}" : $"drifted features, last {WindowName}";
}
