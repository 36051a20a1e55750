using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Options;
using ModelWatch.Engine.Alerting;
using ModelWatch.Portal.Components.Alerting;
using ModelWatch.Portal.Components.Governance;
using ModelWatch.Portal.Components.Pages.Governance;
using ModelWatch.Portal.Components.ViewModels;

namespace ModelWatch.Portal.Components.Pages.Alerting;

/// <summary>
/// The alert inbox: firing, pending, acknowledged, silenced and recently resolved, each led by the viewer's concern.
/// It re-reads when the evaluator announces changed alerts, through one throttle, and after the viewer's own actions.
/// </summary>
public partial class Alerts : GovernancePageBase, IDisposable
{
    /// <summary>Each alert is a few components in the circuit: a storm shows the first of each section, the API has the rest.</summary>
    public const int MaxPerSection = 100;

    private Loaded<Inbox> _loaded = new(LoadStatus.Loading, null);
    private LiveThrottle<int>? _throttle;
    private bool _subscribed;

    [Inject] public required AlertInboxModel Inbox { get; init; }
    [Inject] public required AlertEvaluator Evaluator { get; init; }
    [Inject] public required TimeProvider Clock { get; init; }
    [Inject] public required IOptions<LiveViewOptions> Options { get; init; }

    private DateTimeOffset Now => Clock.GetUtcNow();
    private bool CanAct => Viewer is { Caller.IsReadOnly: false };
    private string Title => _loaded.Value is { Firing: > 0 } inbox ? $"({inbox.Firing}) Alerts" : "Alerts";
    private string Subtitle => Viewer?.View == ViewKind.Operations
        ? "On the models you can see; latency, errors, throughput and cost first."
        : "On the models you can see; drift, performance and data quality first.";

    protected override void OnParametersSet() => Reload();

    protected override void OnAfterRender(bool firstRender)
    {
        if (!firstRender || Viewer is null) return;
        // Subscribed only once interactive: prerendering never subscribes.
        _throttle = new LiveThrottle<int>(Clock, Options.Value.MinRenderInterval, FlushAsync);
        Evaluator.AlertsChanged += OnAlertsChanged;
        _subscribed = true;
    }

    private void Reload() => _loaded = Load(c => Loaded<Inbox>.Ready(Inbox.Load(c, Viewer!.View)));

    private void OnAlertsChanged(IReadOnlyList<long> ids)
    {
        try { _throttle?.Post(ids.Count); }
        catch (Exception e) { _ = DispatchExceptionAsync(e); }
    }

    private async Task FlushAsync(IReadOnlyList<int> _)
    {
        try
        {
            await InvokeAsync(() =>
            {
                Reload();
                StateHasChanged();
            });
        }
        catch (Exception e)
        {
            await DispatchExceptionAsync(e);
        }
    }

    private async Task<bool> ActAsync(AlertActionRequest request)
    {
        var ok = request.Action == AlertAction.Acknowledge
            ? await ChangeAsync(c => Inbox.Acknowledge(request.AlertId, request.Comment, c), $"Alert {request.AlertId} acknowledged: escalation and repeat notifications stop until it resolves.")
            : await ChangeAsync(c => Inbox.Resolve(request.AlertId, request.Comment, c), $"Alert {request.AlertId} resolved. If its condition still holds, it goes pending again.");
        Reload();
        StateHasChanged();
        return ok;
    }

    private void Dismiss()
    {
        Problem = null;
        Done = null;
    }

    public void Dispose()
    {
        if (_subscribed) Evaluator.AlertsChanged -= OnAlertsChanged;
        _throttle?.Dispose();
    }
}
