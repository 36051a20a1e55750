using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using ModelWatch.Engine.Access;

namespace ModelWatch.Portal.Auth;

/// <summary>
/// Authenticates X-Api-Key, or the same key as <c>Authorization: Bearer</c> (what @microsoft/signalr's
/// accessTokenFactory sends on negotiate), or ?access_token= (what it sends on the hub's WebSocket).
/// </summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, ApiKeyStore keys)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var presented = PresentedKey(Request);
        if (presented is null) return Task.FromResult(AuthenticateResult.NoResult());
        var key = keys.Authenticate(presented);
        if (key is null) return Task.FromResult(AuthenticateResult.Fail("The API key is unknown or has been revoked."));

        var claims = new List<Claim>
        {
            new(ClaimTypes.Name, "key:" + key.KeyId),
            new(PortalClaims.KeyId, key.KeyId),
            new(PortalClaims.OnBehalfOf, key.CreatedBy),
            new(ClaimTypes.Role, key.IsAdmin ? Roles.Admin : Caller.TeamKeyRole),
        };
        if (key.TeamId is not null) claims.Add(new Claim(PortalClaims.Team, key.TeamId));
        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, Scheme.Name));
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(principal, Scheme.Name)));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var detail = PresentedKey(Request) is null
            ? $"Send an API key in the {PortalClaims.ApiKeyHeader} header (or as 'Authorization: Bearer <key>'). Admins create team keys with POST /api/v1/teams/{{id}}/keys."
            : "The API key is unknown or has been revoked. Ask a team lead or admin for a new key.";
        return Problems.Write(Context, StatusCodes.Status401Unauthorized, "Authentication required", detail);
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        Problems.Write(Context, StatusCodes.Status403Forbidden, "Not allowed", "This API key may not perform this action.");

    public static string? PresentedKey(HttpRequest request)
    {
        if (request.Headers.TryGetValue(PortalClaims.ApiKeyHeader, out var header) && !string.IsNullOrWhiteSpace(header)) return header.ToString().Trim();
        if (request.Headers.Authorization.ToString() is { Length: > 7 } authorization && authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
            && authorization[7..].Trim() is { Length: > 0 } bearer) return bearer;
        if (request.Path.StartsWithSegments("/hubs") && request.Query.TryGetValue("access_token", out var token) && !string.IsNullOrWhiteSpace(token)) return token.ToString();
        return null;
    }
}
