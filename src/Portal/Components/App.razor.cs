using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Http;

namespace ModelWatch.Portal.Components;

public partial class App : ComponentBase
{
    [CascadingParameter] public HttpContext HttpContext { get; set; } = default!;

    private string? ChosenView => HttpContext.Request.Cookies[ViewCookie.Name];

    private bool DarkMode => ThemeCookie.IsDark(HttpContext.Request.Cookies[ThemeCookie.Name]);

    // The sign-in page stays static server-rendered so its form can set the cookie; everything else is interactive.
    private IComponentRenderMode? PageRenderMode =>
        HttpContext.Request.Path.StartsWithSegments("/signin") ? null : Microsoft.AspNetCore.Components.Web.RenderMode.InteractiveServer;
}
