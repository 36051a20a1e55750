using Microsoft.AspNetCore.Components;

namespace ModelWatch.Portal.Components.Governance;

public partial class FormRow : ComponentBase
{
    [Parameter] public RenderFragment? ChildContent { get; set; }
    [Parameter] public string? Class { get; set; }
    [Parameter(CaptureUnmatchedValues = true)] public Dictionary<string, object>? Attributes { get; set; }
}
