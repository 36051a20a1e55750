using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using ModelWatch.Engine.Access;

namespace ModelWatch.Portal.Auth;

/// <summary>Authenticates X-Api-Key (or ?access_token= for browser WebSocket clients of the hub).</summary>
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
            ? $"Send an API key in the {PortalClaims.ApiKeyHeader} header. Admins create team keys with POST /api/v1/teams/{{id}}/keys."
            : "The API key is unknown or has been revoked. Ask a team lead or admin for a new key.";
        return Problems.Write(Context, StatusCodes.Status401Unauthorized, "Authentication required", detail);
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        Problems.Write(Context, StatusCodes.Status403Forbidden, "Not allowed", "This API key may not perform this action.");

    public static string? PresentedKey(HttpRequest request)
    {
        if (request.Headers.TryGetValue(PortalClaims.ApiKeyHeader, out var header) && !string.IsNullOrWhiteSpace(header)) return header.ToString().Trim();
        if (request.Path.StartsWithSegments("/hubs") && request.Query.TryGetValue("access_token", out var token) && !string.IsNullOrWhiteSpace(token)) return token.ToString();
        return null;
    }
}
