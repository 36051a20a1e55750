using Microsoft.AspNetCore.Components;
using ModelWatch.Engine.Registry;
using ModelWatch.Portal.Components.Governance;

namespace ModelWatch.Portal.Components.Pages.Governance;

/// <summary>Every model the viewer may read, with its aliases and versions, and all pending alias requests.</summary>
public partial class Registry : GovernancePageBase
{
    private Loaded<IReadOnlyList<RegistryEntry>> _loaded = new(LoadStatus.Loading, null);

    [Inject] public required RegistryPageModel Model { get; init; }

    private IReadOnlyList<AliasRequest> Pending => (_loaded.Value ?? []).SelectMany(e => e.Pending).OrderBy(r => r.RequestedAt).ToList();

    protected override void OnParametersSet() => _loaded = Load(c => Loaded<IReadOnlyList<RegistryEntry>>.Ready(Model.List(c)));
}
