using Microsoft.AspNetCore.Components;

namespace ModelWatch.Portal.Components.Governance;

public partial class JsonDiffView : ComponentBase
{
    [Parameter] public string? Before { get; set; }
    [Parameter] public string? After { get; set; }

    /// <summary>Unchanged fields are kept: an entry's context (the username of a removed member) matters to a reader.</summary>
    private IReadOnlyList<FieldChange> Changes { get; set; } = [];

    protected override void OnParametersSet() => Changes = JsonDiff.Compare(Before, After, includeSame: true);
}
