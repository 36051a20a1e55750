using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;
using Microsoft.Extensions.Options;
using ModelWatch.Engine.Access;
using ModelWatch.Portal.Auth;

namespace ModelWatch.Portal.Security;

/// <summary>
/// An open page (Blazor circuit) keeps the principal it started with. Every <see cref="SecurityOptions.CircuitRevalidationInterval"/>
/// this re-checks it: an ended session or a deleted user signs the circuit out; a change of role or teams is announced
/// as a new authentication state, so the layout re-resolves the viewer and pages drop what is no longer theirs.
/// </summary>
public sealed class CircuitRevalidation(ILoggerFactory loggers, CallerResolver callers, IOptions<SecurityOptions> options)
    : RevalidatingServerAuthenticationStateProvider(loggers)
{
    private string? _access;

    protected override TimeSpan RevalidationInterval => options.Value.CircuitRevalidationInterval;

    protected override Task<bool> ValidateAuthenticationStateAsync(AuthenticationState authenticationState, CancellationToken cancellationToken)
    {
        var caller = callers.ResolveCurrent(authenticationState.User);
        if (caller is null) return Task.FromResult(false);
        var access = Access(caller);
        if (access != _access)
        {
            _access = access;
            SetAuthenticationState(Task.FromResult(new AuthenticationState(authenticationState.User)));
        }
        return Task.FromResult(true);
    }

    /// <summary>What access decisions depend on, as one comparable string.</summary>
    public static string Access(Caller caller) =>
        $"{caller.Role}|{string.Join(',', caller.Teams.Order(StringComparer.Ordinal))}|{string.Join(',', caller.LeadOf.Order(StringComparer.Ordinal))}";
}
