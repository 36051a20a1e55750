using Microsoft.AspNetCore.Components;
using ModelWatch.Engine.Access;
using ModelWatch.Portal.Auth;
using MudBlazor;

namespace ModelWatch.Portal.Components.Pages;

/// <summary>
/// Static server-rendered sign-in: a plain form posts to /account/signin, which sets the cookie and redirects
/// back here with ?error=invalid|locked|missing on failure.
/// </summary>
public partial class SignIn : ComponentBase
{
    [SupplyParameterFromQuery(Name = "error")] public string? Error { get; set; }
    [SupplyParameterFromQuery(Name = "username")] public string? Username { get; set; }
    [SupplyParameterFromQuery(Name = "returnUrl")] public string? ReturnUrl { get; set; }

    private string SafeReturnUrl => AccountEndpoints.SafeReturnUrl(ReturnUrl);

    private string? ErrorMessage => Error switch
    {
        // One message for a wrong password, an unknown user and a lockout, so the page does not reveal which names exist.
        "invalid" or "locked" => $"The username or password is not right. Check both and try again. After {UserStore.MaxFailedSignIns} failed sign-ins from one place, sign-in pauses there for {UserStore.LockoutDuration.TotalMinutes:0} minutes.",
        "missing" => "Enter both a username and a password.",
        null or "" => null,
        _ => "Sign-in failed. Try again.",
    };

    private static Severity ErrorSeverity => Severity.Error;

    private static int MaxLength => Security.SecurityOptions.MaxCredentialLength;
}
