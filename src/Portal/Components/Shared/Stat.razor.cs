using Microsoft.AspNetCore.Components;

namespace ModelWatch.Portal.Components.Shared;

public partial class Stat : ComponentBase
{
    [Parameter, EditorRequired] public string Label { get; set; } = "";
    [Parameter, EditorRequired] public string Value { get; set; } = "";
    [Parameter] public string? Detail { get; set; }
    [Parameter] public ModelWatch.Portal.Components.ViewModels.Health Health { get; set; }
    [Parameter] public bool Emphasis { get; set; }
    [Parameter] public string? TestId { get; set; }
}
