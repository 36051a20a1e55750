namespace ModelWatch.Portal.Auth;

/// <summary>Claim types and scheme names the portal issues.</summary>
public static class PortalClaims
{
    public const string KeyId = "mw:key";
    public const string Team = "mw:team";
    public const string DisplayName = "mw:display-name";

    public const string ApiKeyScheme = "ApiKey";
    public const string CookieScheme = "Cookies";
    public const string PortalScheme = "Portal";
    public const string ApiKeyHeader = "X-Api-Key";
}
