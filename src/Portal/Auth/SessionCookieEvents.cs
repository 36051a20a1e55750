using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using ModelWatch.Engine.Access;

namespace ModelWatch.Portal.Auth;

/// <summary>
/// Every cookie request checks its server-side session: after sign-out (or past the session's absolute end) a copy of
/// the cookie is refused, however long its own sliding expiry still runs.
/// </summary>
public static class SessionCookieEvents
{
    public static async Task ValidatePrincipal(CookieValidatePrincipalContext context)
    {
        var sessions = context.HttpContext.RequestServices.GetRequiredService<SessionStore>();
        var principal = context.Principal;
        if (principal is not null && sessions.IsActive(principal.FindFirst(PortalClaims.Session)?.Value, principal.Identity?.Name)) return;
        context.RejectPrincipal();
        await context.HttpContext.SignOutAsync(PortalClaims.CookieScheme);
    }
}
