using System.Net;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;
using ModelWatch.Engine.Demo;
using ModelWatch.Portal.Hubs;

namespace ModelWatch.Portal.Security;

/// <summary>Composition of the portal's security measures, so Program.cs only calls these two extensions.</summary>
public static class SecurityServices
{
    /// <summary>Folder for the Data Protection key ring (the image sets /data/keys); unset keeps the framework's default.</summary>
    public const string DataProtectionKeysPath = "Portal:DataProtection:KeysPath";

    public static WebApplicationBuilder AddPortalSecurity(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<SecurityOptions>().BindConfiguration(SecurityOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IValidateOptions<DemoOptions>, DemoPasswordValidation>();
        services.AddSignInRateLimit();
        services.AddAntiforgery(o => o.Cookie.SecurePolicy = Microsoft.AspNetCore.Http.CookieSecurePolicy.SameAsRequest);
        services.AddSingleton<HubConnections>();
        services.AddHostedService(sp => sp.GetRequiredService<HubConnections>());
        services.AddScoped<AuthenticationStateProvider, CircuitRevalidation>();
        services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<SecurityOptions>>((forwarded, security) => ConfigureForwarding(forwarded, security.Value));
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.AddServerHeader = false);
        // Sign-in cookies and antiforgery tokens are sealed with these keys: kept on a volume they survive a new container.
        var dataProtection = services.AddDataProtection().SetApplicationName("ModelWatch.Portal");
        if (builder.Configuration[DataProtectionKeysPath] is { Length: > 0 } keysPath) dataProtection.PersistKeysToFileSystem(new DirectoryInfo(keysPath));
        return builder;
    }

    /// <summary>Forwarded headers first (so the client address and scheme are right), then headers, the cross-site guard and rate limits.</summary>
    public static WebApplication UsePortalSecurityEarly(this WebApplication app)
    {
        app.UseForwardedHeaders();
        app.UseMiddleware<SecurityHeaders>();
        return app;
    }

    /// <summary>After authentication: the cross-site guard needs to know whether a cookie is in play; then rate limits.</summary>
    public static WebApplication UsePortalSecurityChecks(this WebApplication app)
    {
        app.UseMiddleware<CrossSiteRequestGuard>();
        app.UseRateLimiter();
        return app;
    }

    private static void ConfigureForwarding(ForwardedHeadersOptions forwarded, SecurityOptions security)
    {
        forwarded.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
        // Loopback stays trusted (the default: a proxy on the same host); configured proxies and networks are added.
        foreach (var proxy in security.KnownProxies)
            forwarded.KnownProxies.Add(IPAddress.TryParse(proxy, out var address) ? address
                : throw new OptionsValidationException(SecurityOptions.Section, typeof(SecurityOptions), [$"Portal:Security:KnownProxies: '{proxy}' is not an IP address."]));
        foreach (var network in security.KnownNetworks)
            forwarded.KnownIPNetworks.Add(System.Net.IPNetwork.TryParse(network, out var parsed) ? parsed
                : throw new OptionsValidationException(SecurityOptions.Section, typeof(SecurityOptions), [$"Portal:Security:KnownNetworks: '{network}' is not a network in CIDR form such as 10.0.0.0/8."]));
    }
}
