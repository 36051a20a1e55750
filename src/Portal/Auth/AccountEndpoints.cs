using System.Security.Claims;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using ModelWatch.Engine.Access;
using ModelWatch.Engine.Audit;
using ModelWatch.Portal.Security;

namespace ModelWatch.Portal.Auth;

/// <summary>
/// Cookie sign-in and sign-out as plain form posts: an interactive Blazor circuit cannot set cookies,
/// so the static sign-in page posts here and is redirected.
/// </summary>
public static class AccountEndpoints
{
    public const string SignInPage = "/signin";

    /// <summary>What the audit log records for a name that matches no account: never the raw text (it may be a password).</summary>
    public const string UnknownUser = "unknown user";

    // The whole form is a token, a return path and two short fields: anything bigger is refused while it is read.
    private static readonly FormOptions SmallForm = new()
    {
        ValueLengthLimit = SecurityOptions.MaxReturnUrlLength * 2,
        ValueCountLimit = 8,
        KeyLengthLimit = 64,
        MultipartBodyLengthLimit = 16 * 1024,
        BufferBody = false,
    };

    public static IEndpointRouteBuilder MapAccountEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/account/signin", SignIn).RequireRateLimiting(SignInRateLimit.Policy).DisableAntiforgery().ExcludeFromDescription();
        app.MapPost("/account/signout", SignOut).DisableAntiforgery().ExcludeFromDescription();
        return app;
    }

    private static async Task<IResult> SignIn(HttpContext context, UserStore users, SessionStore sessions, AuditLog audit, IAntiforgery antiforgery, IOptions<SecurityOptions> options)
    {
        var (form, problem) = await ReadFormAsync(context, antiforgery);
        if (form is null) return problem!;
        string? username = form["username"], password = form["password"];
        var target = SafeReturnUrl(form["returnUrl"]);
        if (username?.Length > SecurityOptions.MaxCredentialLength || password?.Length > SecurityOptions.MaxCredentialLength)
            return Problems.BadRequest($"Usernames and passwords are at most {SecurityOptions.MaxCredentialLength} characters.", [new("username", "too long")]);
        if (string.IsNullOrWhiteSpace(username) || string.IsNullOrEmpty(password))
            return Results.LocalRedirect($"{SignInPage}?error=missing&returnUrl={Uri.EscapeDataString(target)}");

        var remote = context.Connection.RemoteIpAddress?.ToString();
        var result = users.CheckPassword(username.Trim(), password, remote);
        if (result.Status != SignInStatus.Succeeded)
        {
            var outcome = result.Status == SignInStatus.LockedOut ? "locked" : "invalid";
            audit.Append(new NewAuditEntry("anonymous", AuditActions.SignInFailed, After: new { username = result.Account ?? UnknownUser, outcome, remote }));
            // One answer for a wrong password, an unknown user and a locked account: the page must not tell them apart.
            return Results.LocalRedirect($"{SignInPage}?error=invalid&username={Uri.EscapeDataString(username)}&returnUrl={Uri.EscapeDataString(target)}");
        }

        var user = result.User!;
        var session = sessions.Start(user, options.Value.SessionAbsoluteLifetime);
        audit.Append(new NewAuditEntry("user:" + user.Username, AuditActions.SignedIn, After: new { remote }));
        var claims = new List<Claim>
        {
            new(ClaimTypes.Name, user.Username),
            new(ClaimTypes.Role, user.Role),
            new(PortalClaims.DisplayName, user.DisplayName),
            new(PortalClaims.Session, session),
        };
        claims.AddRange(user.Teams.Select(t => new Claim(PortalClaims.Team, t.TeamId)));
        await context.SignInAsync(PortalClaims.CookieScheme, new ClaimsPrincipal(new ClaimsIdentity(claims, PortalClaims.CookieScheme)));
        return Results.LocalRedirect(target);
    }

    private static async Task<IResult> SignOut(HttpContext context, SessionStore sessions, IAntiforgery antiforgery)
    {
        var (form, problem) = await ReadFormAsync(context, antiforgery);
        if (form is null) return problem!;
        var cookie = await context.AuthenticateAsync(PortalClaims.CookieScheme);
        sessions.End(cookie.Principal?.FindFirstValue(PortalClaims.Session));
        await context.SignOutAsync(PortalClaims.CookieScheme);
        return Results.LocalRedirect(SignInPage);
    }

    /// <summary>A small urlencoded form with a valid antiforgery token, or the 400 that says what is wrong.</summary>
    private static async Task<(IFormCollection? Form, IResult? Problem)> ReadFormAsync(HttpContext context, IAntiforgery antiforgery)
    {
        var request = context.Request;
        if (!request.HasFormContentType)
            return (null, Problems.BadRequest("Post the form as application/x-www-form-urlencoded, as the sign-in page does."));
        if (request.ContentLength > SmallForm.MultipartBodyLengthLimit)
            return (null, Problems.BadRequest($"The form is larger than {SmallForm.MultipartBodyLengthLimit} bytes; usernames and passwords are at most {SecurityOptions.MaxCredentialLength} characters."));
        context.Features.Set<IFormFeature>(new FormFeature(request, SmallForm));
        IFormCollection form;
        try
        {
            form = await request.ReadFormAsync(context.RequestAborted);
        }
        catch (InvalidDataException)
        {
            return (null, Problems.BadRequest($"A form field is too long; usernames and passwords are at most {SecurityOptions.MaxCredentialLength} characters."));
        }
        if (!await antiforgery.IsRequestValidAsync(context))
            return (null, Problems.BadRequest("The form's antiforgery token is missing or expired. Reload the page and try again."));
        return (form, null);
    }

    /// <summary>
    /// Only short local paths: an open redirect would let a phishing link bounce through the portal. Browsers drop tabs
    /// and newlines from URLs and read '\' as '/', so "/\t/evil" would become "//evil": any control or space character
    /// or backslash falls back to "/".
    /// </summary>
    public static string SafeReturnUrl(string? returnUrl)
    {
        if (string.IsNullOrEmpty(returnUrl) || returnUrl.Length > SecurityOptions.MaxReturnUrlLength || returnUrl[0] != '/') return "/";
        if (returnUrl.Length > 1 && returnUrl[1] is '/' or '\\') return "/";
        foreach (var c in returnUrl)
            if (char.IsControl(c) || char.IsWhiteSpace(c) || c == '\\') return "/";
        return returnUrl;
    }

    /// <summary>The sign-in page with a return path (dropped when unsafe or too long, so Location stays small).</summary>
    public static string SignInRedirect(string? returnUrl)
    {
        return $"{SignInPage}?returnUrl={Uri.EscapeDataString(SafeReturnUrl(returnUrl))}";
    }
}
