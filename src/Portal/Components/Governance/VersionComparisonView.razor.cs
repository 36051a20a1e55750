using Microsoft.AspNetCore.Components;

namespace ModelWatch.Portal.Components.Governance;

public partial class VersionComparisonView : ComponentBase
{
    [Parameter, EditorRequired] public VersionComparison Comparison { get; set; } = null!;
}
