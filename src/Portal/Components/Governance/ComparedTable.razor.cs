using Microsoft.AspNetCore.Components;

namespace ModelWatch.Portal.Components.Governance;

/// <summary>Named values for two versions; a row whose values differ is highlighted.</summary>
public partial class ComparedTable : ComponentBase
{
    [Parameter, EditorRequired] public IReadOnlyList<ComparedValue> Rows { get; set; } = [];
    [Parameter, EditorRequired] public string Left { get; set; } = "";
    [Parameter, EditorRequired] public string Right { get; set; } = "";
    [Parameter] public string Empty { get; set; } = "Nothing to compare.";
    [Parameter] public string? TestId { get; set; }
}
