using Microsoft.AspNetCore.Components;

namespace ModelWatch.Portal.Components.Alerting;

public partial class FiringBadge : ComponentBase
{
    [Parameter, EditorRequired] public string ModelId { get; set; } = "";
    [Parameter] public string? Href { get; set; }
    [Inject] public required IFiringAlerts Firing { get; init; }

    private FiringSummary Summary { get; set; } = FiringSummary.None;

    private string Title => string.Join(", ", Summary.BySeverity.OrderBy(s => s.Key, StringComparer.Ordinal).Select(s => $"{s.Value} {s.Key}")) + " alert(s) firing";

    // Read on every render: the parent re-renders on live updates, and FiringAlerts caches the query for all badges.
    protected override void OnParametersSet() => Summary = Firing.Of(ModelId);
}
