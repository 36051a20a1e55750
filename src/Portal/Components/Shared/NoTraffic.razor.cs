using Microsoft.AspNetCore.Components;

namespace ModelWatch.Portal.Components.Shared;

public partial class NoTraffic : ComponentBase
{
    [Parameter, EditorRequired] public string ModelId { get; set; } = "";
    [Parameter] public string? Window { get; set; }
}
