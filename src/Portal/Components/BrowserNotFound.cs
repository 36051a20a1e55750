using Microsoft.Net.Http.Headers;

namespace ModelWatch.Portal.Components;

/// <summary>
/// An unknown address asked for by a browser (GET, Accept: text/html, outside /api and /hubs) is answered with the
/// portal's own "Page not found" page, still as a 404; API and other clients keep the RFC 7807 problem document.
/// </summary>
public static class BrowserNotFound
{
    public const string PagePath = "/not-found";

    public static IApplicationBuilder UseBrowserNotFoundPage(this IApplicationBuilder app) =>
        app.UseWhen(IsBrowserPageRequest, browser => browser.UseStatusCodePagesWithReExecute(PagePath, createScopeForStatusCodePages: true));

    public static bool IsBrowserPageRequest(HttpContext context)
    {
        var request = context.Request;
        if (!HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method)) return false;
        if (request.Path.StartsWithSegments("/api") || request.Path.StartsWithSegments("/hubs") || request.Path.StartsWithSegments("/_blazor")) return false;
        // Browsers ask for text/html when they navigate; fetch(), curl and API clients do not.
        return request.GetTypedHeaders().Accept.Any(a => a.MediaType.Equals("text/html", StringComparison.OrdinalIgnoreCase));
    }
}
