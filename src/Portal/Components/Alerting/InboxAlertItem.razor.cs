using Microsoft.AspNetCore.Components;
using ModelWatch.Engine.Alerting;
using ModelWatch.Portal.Components.ViewModels;

namespace ModelWatch.Portal.Components.Alerting;

public enum AlertAction { Acknowledge, Resolve }

/// <summary>What the person asked for on one alert: the action and their comment.</summary>
public sealed record AlertActionRequest(long AlertId, AlertAction Action, string? Comment);

public partial class InboxAlertItem : ComponentBase
{
    private AlertAction? _action;
    private string? _comment;
    private bool _busy;

    [Parameter, EditorRequired] public InboxAlert Item { get; set; } = null!;
    [Parameter] public DateTimeOffset Now { get; set; }
    /// <summary>Whether to offer the buttons; the engine decides again when one is pressed.</summary>
    [Parameter] public bool CanAct { get; set; }
    /// <summary>Returns true when the action was done, so the comment box closes.</summary>
    [Parameter] public Func<AlertActionRequest, Task<bool>>? OnAction { get; set; }

    private AlertRecord Alert => Item.Alert;
    private string ModelHref => "models/" + Uri.EscapeDataString(Alert.ModelId) + "?tab=alerts";
    private string SilenceHref => $"silences?model={Uri.EscapeDataString(Alert.ModelId)}&alertname={Uri.EscapeDataString(Alert.RuleName)}";

    private void Open(AlertAction action)
    {
        _action = action;
        _comment = null;
    }

    private void Cancel() => _action = null;

    private async Task ConfirmAsync()
    {
        if (_action is not { } action || OnAction is null) return;
        _busy = true;
        try
        {
            if (await OnAction(new AlertActionRequest(Alert.Id, action, _comment))) _action = null;
        }
        finally
        {
            _busy = false;
        }
    }
}
