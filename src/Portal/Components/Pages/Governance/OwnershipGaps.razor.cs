using Microsoft.AspNetCore.Components;
using ModelWatch.Portal.Components.Governance;

namespace ModelWatch.Portal.Components.Pages.Governance;

/// <summary>The fleet's ownership gaps, limited to the models the viewer may read.</summary>
public partial class OwnershipGaps : GovernancePageBase
{
    private Loaded<IReadOnlyList<OwnershipGap>> _loaded = new(LoadStatus.Loading, null);

    [Inject] public required OwnershipPageModel Model { get; init; }

    protected override void OnParametersSet() => _loaded = Load(c => Loaded<IReadOnlyList<OwnershipGap>>.Ready(Model.Gaps(c)));
}
