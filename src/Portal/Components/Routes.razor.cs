using Microsoft.AspNetCore.Components;

namespace ModelWatch.Portal.Components;

public partial class Routes : ComponentBase
{
    /// <summary>Read from the theme cookie on the request that opened the page; the layout starts in that theme.</summary>
    [Parameter] public bool DarkMode { get; set; }
}
