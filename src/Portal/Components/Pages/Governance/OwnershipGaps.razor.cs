using Microsoft.AspNetCore.Components;
using ModelWatch.Portal.Components.Governance;

namespace ModelWatch.Portal.Components.Pages.Governance;

/// <summary>The fleet's ownership gaps, limited to the models the viewer may read.</summary>
public partial class OwnershipGaps : GovernancePageBase
{
    private LoadStatus _status = LoadStatus.Loading;
    private IReadOnlyList<OwnershipGap> _gaps = [];
    private string? _error;

    [Inject] public required OwnershipPageModel Model { get; init; }

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
            _gaps = Model.Gaps(Viewer.Caller);
            _status = LoadStatus.Ready;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            _error = e.Message;
            _status = LoadStatus.Error;
        }
    }
}
