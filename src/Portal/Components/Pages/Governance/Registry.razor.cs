using Microsoft.AspNetCore.Components;
using ModelWatch.Engine.Registry;
using ModelWatch.Portal.Components.Governance;

namespace ModelWatch.Portal.Components.Pages.Governance;

/// <summary>Every model the viewer may read, with its aliases and versions, and all pending alias requests.</summary>
public partial class Registry : GovernancePageBase
{
    private LoadStatus _status = LoadStatus.Loading;
    private IReadOnlyList<RegistryEntry> _entries = [];
    private string? _error;

    [Inject] public required RegistryPageModel Model { get; init; }

    private IReadOnlyList<AliasRequest> Pending => _entries.SelectMany(e => e.Pending).OrderBy(r => r.RequestedAt).ToList();

    protected override void OnParametersSet()
    {
        if (Viewer is null)
        {
            _status = LoadStatus.Error;
            _error = "You are not signed in.";
            return;
        }
        try
        {
            _entries = Model.List(Viewer.Caller);
            _status = LoadStatus.Ready;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            _error = e.Message;
            _status = LoadStatus.Error;
        }
    }
}
