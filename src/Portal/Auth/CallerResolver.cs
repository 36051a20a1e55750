using System.Security.Claims;
using ModelWatch.Engine.Access;

namespace ModelWatch.Portal.Auth;

/// <summary>
/// Turns an authenticated principal into a <see cref="Caller"/>. Users are re-read from the store so that a
/// membership change applies at once rather than when the cookie expires.
/// </summary>
public sealed class CallerResolver(UserStore users, ApiKeyStore keys, SessionStore sessions)
{
    /// <summary>For a request just authenticated (the key was looked up and the session checked by the handlers).</summary>
    public Caller? Resolve(ClaimsPrincipal principal)
    {
        if (principal.Identity?.IsAuthenticated != true) return null;
        var keyId = principal.FindFirstValue(PortalClaims.KeyId);
        if (keyId is not null)
            return Caller.ForApiKey(new ApiKeyIdentity(keyId, "", principal.FindFirstValue(PortalClaims.Team), principal.FindFirstValue(PortalClaims.OnBehalfOf) ?? "system:unattributed"));
        var username = principal.Identity.Name;
        return username is null || users.Find(username) is not { } user ? null : Caller.ForUser(user);
    }

    /// <summary>
    /// For principals that outlive their request (a hub connection, a Blazor circuit): the key must still be active
    /// and the sign-in session not ended, else null.
    /// </summary>
    public Caller? ResolveCurrent(ClaimsPrincipal principal)
    {
        if (principal.Identity?.IsAuthenticated != true) return null;
        var keyId = principal.FindFirstValue(PortalClaims.KeyId);
        if (keyId is not null) return keys.FindActive(keyId) is { } key ? Caller.ForApiKey(key) : null;
        return sessions.IsActive(principal.FindFirstValue(PortalClaims.Session), principal.Identity.Name) ? Resolve(principal) : null;
    }
}
