namespace ModelWatch.Portal.Auth;

/// <summary>Claim types and scheme names the portal issues.</summary>
public static class PortalClaims
{
    public const string KeyId = "mw:key";
    public const string Team = "mw:team";
    public const string DisplayName = "mw:display-name";
    /// <summary>The person an API key acts for ("user:dana", "system:bootstrap").</summary>
    public const string OnBehalfOf = "mw:on-behalf-of";
    /// <summary>The server-side session a sign-in cookie belongs to; sign-out revokes it.</summary>
    public const string Session = "mw:session";

    public const string ApiKeyScheme = "ApiKey";
    public const string CookieScheme = "Cookies";
    public const string PortalScheme = "Portal";
    public const string ApiKeyHeader = "X-Api-Key";
    public const string CookieName = "modelwatch.auth";
}
