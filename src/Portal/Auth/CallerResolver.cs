using System.Security.Claims;
using ModelWatch.Engine.Access;

namespace ModelWatch.Portal.Auth;

/// <summary>
/// Turns an authenticated principal into a <see cref="Caller"/>. Users are re-read from the store so that a
/// membership change applies at once rather than when the cookie expires.
/// </summary>
public sealed class CallerResolver(UserStore users)
{
    public Caller? Resolve(ClaimsPrincipal principal)
    {
        if (principal.Identity?.IsAuthenticated != true) return null;
        var keyId = principal.FindFirstValue(PortalClaims.KeyId);
        if (keyId is not null)
            return Caller.ForApiKey(new ApiKeyIdentity(keyId, "", principal.FindFirstValue(PortalClaims.Team)));
        var username = principal.Identity.Name;
        return username is null || users.Find(username) is not { } user ? null : Caller.ForUser(user);
    }
}
