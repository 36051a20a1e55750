using Microsoft.AspNetCore.Components;

namespace ModelWatch.Portal.Components.Governance;

public partial class AliasChip : ComponentBase
{
    [Parameter, EditorRequired] public string Alias { get; set; } = "";
    [Parameter] public string? Version { get; set; }
}
