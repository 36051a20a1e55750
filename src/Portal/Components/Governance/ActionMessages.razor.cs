using Microsoft.AspNetCore.Components;

namespace ModelWatch.Portal.Components.Governance;

public partial class ActionMessages : ComponentBase
{
    [Parameter] public string? Problem { get; set; }
    [Parameter] public string? Done { get; set; }
    [Parameter] public EventCallback Dismissed { get; set; }

    private Task Dismiss() => Dismissed.InvokeAsync();
}
