using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace ModelWatch.Portal.Components.Shared;

public enum StateKind { Loading, Empty, Error, NotAllowed, NotFound }

/// <summary>A centred message for a page or panel that has nothing to draw yet, or may not draw.</summary>
public partial class States : ComponentBase
{
    [Parameter] public StateKind Kind { get; set; }
    [Parameter] public string Title { get; set; } = "";
    [Parameter] public RenderFragment? ChildContent { get; set; }

    private string Icon => Kind switch
    {
        StateKind.Empty => Icons.Material.Outlined.Inbox,
        StateKind.Error => Icons.Material.Outlined.ErrorOutline,
        StateKind.NotAllowed => Icons.Material.Outlined.Lock,
        _ => Icons.Material.Outlined.SearchOff,
    };

    private Color IconColor => Kind switch
    {
        StateKind.Error => Color.Error,
        StateKind.NotAllowed => Color.Warning,
        _ => Color.Default,
    };
}
