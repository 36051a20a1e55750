using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using ModelWatch.Engine.Access;
using ModelWatch.Engine.Audit;

namespace ModelWatch.Portal.Auth;

/// <summary>
/// Cookie sign-in and sign-out as plain form posts: an interactive Blazor circuit cannot set cookies,
/// so the static sign-in page posts here and is redirected.
/// </summary>
public static class AccountEndpoints
{
    public const string SignInPage = "/signin";

    public static IEndpointRouteBuilder MapAccountEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/account/signin", SignIn).ExcludeFromDescription();
        app.MapPost("/account/signout", (Delegate)SignOut).ExcludeFromDescription();
        return app;
    }

    private static async Task<IResult> SignIn(HttpContext context, UserStore users, AuditLog audit, [FromForm] string? username, [FromForm] string? password, [FromForm] string? returnUrl)
    {
        var target = SafeReturnUrl(returnUrl);
        if (string.IsNullOrWhiteSpace(username) || string.IsNullOrEmpty(password))
            return Results.LocalRedirect($"{SignInPage}?error=missing&returnUrl={Uri.EscapeDataString(target)}");

        var result = users.CheckPassword(username.Trim(), password);
        if (result.Status != SignInStatus.Succeeded)
        {
            var error = result.Status == SignInStatus.LockedOut ? "locked" : "invalid";
            audit.Append(new NewAuditEntry("anonymous", AuditActions.SignInFailed, After: new { username = username.Trim(), outcome = error, remote = context.Connection.RemoteIpAddress?.ToString() }));
            return Results.LocalRedirect($"{SignInPage}?error={error}&username={Uri.EscapeDataString(username)}&returnUrl={Uri.EscapeDataString(target)}");
        }

        var user = result.User!;
        audit.Append(new NewAuditEntry("user:" + user.Username, AuditActions.SignedIn, After: new { remote = context.Connection.RemoteIpAddress?.ToString() }));
        var claims = new List<Claim>
        {
            new(ClaimTypes.Name, user.Username),
            new(ClaimTypes.Role, user.Role),
            new(PortalClaims.DisplayName, user.DisplayName),
        };
        claims.AddRange(user.Teams.Select(t => new Claim(PortalClaims.Team, t.TeamId)));
        await context.SignInAsync(PortalClaims.CookieScheme, new ClaimsPrincipal(new ClaimsIdentity(claims, PortalClaims.CookieScheme)));
        return Results.LocalRedirect(target);
    }

    private static async Task<IResult> SignOut(HttpContext context)
    {
        await context.SignOutAsync(PortalClaims.CookieScheme);
        return Results.LocalRedirect(SignInPage);
    }

    /// <summary>Only local paths: an open redirect would let a phishing link bounce through the portal.</summary>
    public static string SafeReturnUrl(string? returnUrl) =>
        !string.IsNullOrEmpty(returnUrl) && returnUrl.StartsWith('/') && !returnUrl.StartsWith("//") && !returnUrl.StartsWith("/\\") ? returnUrl : "/";
}
