using System.ComponentModel.DataAnnotations;

namespace ModelWatch.Portal.Security;

/// <summary>Sign-in limits, session lifetimes and cross-origin rules. Bound from Portal:Security; see README "Security".</summary>
public sealed class SecurityOptions
{
    public const string Section = "Portal:Security";

    /// <summary>Longest username or password the sign-in form accepts; longer ones get 400 before any work.</summary>
    public const int MaxCredentialLength = 256;

    /// <summary>Longest returnUrl the sign-in flow keeps; a longer one falls back to "/".</summary>
    public const int MaxReturnUrlLength = 2048;

    /// <summary>Sign-in attempts one client address may make per <see cref="SignInWindow"/> (429 with Retry-After beyond).</summary>
    [Range(1, 100_000)]
    public int SignInAttemptsPerAddress { get; set; } = 10;

    public TimeSpan SignInWindow { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>The sign-in cookie slides by 8 h of inactivity; this caps a session however active it stays.</summary>
    public TimeSpan SessionAbsoluteLifetime { get; set; } = TimeSpan.FromHours(24);

    /// <summary>How often an open page (Blazor circuit) re-checks its user's session and teams.</summary>
    public TimeSpan CircuitRevalidationInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Origins besides the portal's own that may open cookie-authenticated hub and circuit connections.</summary>
    public string[] AllowedOrigins { get; set; } = [];

    /// <summary>Reverse proxies whose X-Forwarded-For / X-Forwarded-Proto are trusted (IP addresses).</summary>
    public string[] KnownProxies { get; set; } = [];

    /// <summary>Networks of trusted reverse proxies in CIDR form, e.g. "10.0.0.0/8".</summary>
    public string[] KnownNetworks { get; set; } = [];
}
