namespace ModelWatch.Portal.Security;

/// <summary>
/// Response headers every page and API answer carries. The Content-Security-Policy allows scripts only from the
/// portal itself (no inline script, no eval). Styles need 'unsafe-inline': MudBlazor writes style attributes and
/// Plotly injects &lt;style&gt; elements at run time. Images allow data: for Plotly's and MudBlazor's inline icons.
/// WebSockets (Blazor's circuit, the live hub) are covered by connect-src 'self'.
/// </summary>
public sealed class SecurityHeaders(RequestDelegate next)
{
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; " +
        "connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    public Task InvokeAsync(HttpContext context)
    {
        context.Response.OnStarting(() =>
        {
            var headers = context.Response.Headers;
            headers.ContentSecurityPolicy = ContentSecurityPolicy;
            headers.XContentTypeOptions = "nosniff";
            headers["Referrer-Policy"] = "strict-origin-when-cross-origin";
            headers.XFrameOptions = "DENY";
            // Over HTTPS only (after forwarded headers): a browser must never be pinned to HTTPS by a plain-HTTP answer.
            if (context.Request.IsHttps) headers.StrictTransportSecurity = "max-age=31536000";
            headers.Remove("Server");
            return Task.CompletedTask;
        });
        return next(context);
    }
}
