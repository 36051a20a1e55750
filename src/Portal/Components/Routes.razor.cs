using Microsoft.AspNetCore.Components;

namespace ModelWatch.Portal.Components;

public partial class Routes : ComponentBase
{
    /// <summary>Read from the theme cookie on the request that opened the page; the layout starts in that theme.</summary>
    [Parameter] public bool DarkMode { get; set; }

    /// <summary>The view chosen in the "who am I" panel, from its cookie; null follows the role.</summary>
    [Parameter] public string? View { get; set; }
}
