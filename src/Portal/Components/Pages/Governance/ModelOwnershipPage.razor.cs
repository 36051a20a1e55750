using Microsoft.AspNetCore.Components;
using ModelWatch.Engine.Registry;
using ModelWatch.Portal.Components.Governance;

namespace ModelWatch.Portal.Components.Pages.Governance;

/// <summary>A model's owner team and contacts, their history, and reassignment (admin or owner team lead, with a reason).</summary>
public partial class ModelOwnershipPage : GovernancePageBase
{
    private Loaded<OwnershipView> _loaded = new(LoadStatus.Loading, null);
    private string? _team;
    private string? _onCall;
    private string? _escalation;
    private string? _reason;
    private string? _loadedFor;

    [Parameter] public string ModelId { get; set; } = "";
    [Inject] public required OwnershipPageModel Model { get; init; }

    protected override void OnParametersSet()
    {
        if (_loadedFor == ModelId) return;
        _loadedFor = ModelId;
        Reload();
    }

    private void Reload()
    {
        _loaded = Load(c => Model.Load(c, ModelId));
        if (_loaded.Value is { } view)
        {
            _team = view.Ownership.Team;
            _onCall = view.Ownership.OnCall;
            _escalation = view.Ownership.Escalation;
        }
    }

    private async Task ReassignAsync()
    {
        var request = new OwnerChangeRequest(_team, _reason, _onCall, _escalation);
        if (await ChangeAsync(c => Model.Reassign(c, ModelId, request), $"Ownership of '{ModelId}' saved: owner '{_team}'."))
        {
            _reason = null;
            Reload();
        }
    }

    private void ClearMessages() => Problem = Done = null;
}
