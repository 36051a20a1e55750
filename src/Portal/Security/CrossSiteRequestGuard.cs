using Microsoft.AspNetCore.Antiforgery;
using ModelWatch.Portal.Auth;

namespace ModelWatch.Portal.Security;

/// <summary>
/// Cookies ride along on requests another site makes (SameSite=Lax still sends them from another port of the same
/// host), so cookie-authenticated callers must prove the request comes from the portal's own pages or a real client:
/// <list type="bullet">
/// <item>API writes carry an antiforgery token (header <c>RequestVerificationToken</c>) or the header
/// <c>X-Requested-With</c>, which a browser cannot send cross-origin without a CORS preflight the portal never grants;</item>
/// <item>hub and circuit connections (WebSockets are not covered by CORS) come from an allowed Origin.</item>
/// </list>
/// API-key callers carry no ambient credential and are not affected.
/// </summary>
public sealed class CrossSiteRequestGuard(RequestDelegate next, IAntiforgery antiforgery, Microsoft.Extensions.Options.IOptions<SecurityOptions> options)
{
    public const string CustomHeader = "X-Requested-With";

    public async Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        var usesCookie = ApiKeyAuthenticationHandler.PresentedKey(request) is null && request.Cookies.ContainsKey(PortalClaims.CookieName);
        if (usesCookie && request.Path.StartsWithSegments("/api") && !HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method) && !HttpMethods.IsOptions(request.Method))
        {
            if (string.IsNullOrEmpty(request.Headers[CustomHeader]) && !await antiforgery.IsRequestValidAsync(context))
            {
                await Problems.Write(context, StatusCodes.Status403Forbidden, "Cross-site request refused",
                    $"A write signed in with the portal's cookie needs the header '{CustomHeader}' (any value) or an antiforgery token. Scripts and services should send an API key in the {PortalClaims.ApiKeyHeader} header instead.");
                return;
            }
        }
        if (usesCookie && (request.Path.StartsWithSegments("/hubs") || request.Path.StartsWithSegments("/_blazor")) && !OriginAllowed(request))
        {
            await Problems.Write(context, StatusCodes.Status403Forbidden, "Origin not allowed",
                $"Connections signed in with the portal's cookie must come from the portal's own pages (Origin '{request.Headers.Origin}' is not allowed; see Portal:Security:AllowedOrigins).");
            return;
        }
        await next(context);
    }

    private bool OriginAllowed(HttpRequest request)
    {
        var origin = request.Headers.Origin.ToString();
        if (string.IsNullOrEmpty(origin)) return true; // not sent by a browser page: no ambient-credential attack to stop
        // Host and port, not scheme: behind a TLS-terminating proxy the request may arrive as http.
        if (Uri.TryCreate(origin, UriKind.Absolute, out var uri) && string.Equals(uri.Authority, request.Host.Value, StringComparison.OrdinalIgnoreCase)) return true;
        return
               options.Value.AllowedOrigins.Any(o => string.Equals(o.TrimEnd('/'), origin, StringComparison.OrdinalIgnoreCase));
    }
}
