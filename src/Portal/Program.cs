using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Configuration.Json;
using Microsoft.Extensions.FileProviders;
using ModelWatch.Engine;
using ModelWatch.Portal;
using ModelWatch.Portal.Api;
using ModelWatch.Portal.Auth;
using ModelWatch.Portal.Components;
using ModelWatch.Portal.HealthChecks;
using ModelWatch.Portal.Hubs;
using ModelWatch.Portal.Security;
using MudBlazor.Services;

if (args is [ContainerHealthCheck.Argument]) return await ContainerHealthCheck.RunAsync();

var builder = WebApplication.CreateBuilder(args);
// Serve MudBlazor's, Plotly's and the framework's files from the build output in every environment, so that
// `dotnet run --project src/Portal` works as documented (ASP.NET only does this by itself in Development).
// A published app has no static-web-assets manifest, and then this does nothing.
builder.WebHost.UseStaticWebAssets();
AddRepositoryAppSettings(builder.Configuration);

builder.Services.AddEngine(builder.Configuration);
builder.Services.AddDemo(builder.Configuration);
builder.Services.AddProblemDetails();
builder.Services.AddPortalHealth();
builder.Services.AddPortalOpenApi();
builder.Services.AddSingleton<CallerResolver>();
builder.Services.AddSingleton<ApiCaller>();
builder.Services.AddSignalR().AddRedisBackplane(builder.Configuration);
builder.Services.AddSingleton<HubSubscriptions>();
builder.AddPortalSecurity();
builder.Services.AddAlertHub();

builder.Services.AddAuthentication(PortalClaims.PortalScheme)
    .AddPolicyScheme(PortalClaims.PortalScheme, "API key or cookie", o =>
        o.ForwardDefaultSelector = context => ApiKeyAuthenticationHandler.PresentedKey(context.Request) is not null ? PortalClaims.ApiKeyScheme : PortalClaims.CookieScheme)
    .AddCookie(PortalClaims.CookieScheme, o =>
    {
        o.LoginPath = AccountEndpoints.SignInPage;
        o.AccessDeniedPath = AccountEndpoints.SignInPage;
        o.Cookie.Name = PortalClaims.CookieName;
        o.Cookie.HttpOnly = true;
        o.Cookie.SameSite = SameSiteMode.Lax;
        o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest; // Secure behind TLS, also via a trusted proxy's X-Forwarded-Proto
        o.Events.OnValidatePrincipal = SessionCookieEvents.ValidatePrincipal;
        o.SlidingExpiration = true;
        o.ExpireTimeSpan = TimeSpan.FromHours(8);
        // API and hub callers get problem responses, not a redirect to the sign-in page.
        o.Events.OnRedirectToLogin = context => IsMachinePath(context.Request)
            ? Problems.Write(context.HttpContext, 401, "Authentication required", $"Send an API key in the {PortalClaims.ApiKeyHeader} header (or as 'Authorization: Bearer <key>').")
            : RedirectTo(context);
        o.Events.OnRedirectToAccessDenied = context => IsMachinePath(context.Request)
            ? Problems.Write(context.HttpContext, 403, "Not allowed", "You may not perform this action.")
            : RedirectTo(context);
    })
    .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(PortalClaims.ApiKeyScheme, null);
builder.Services.AddAuthorization();
builder.Services.AddCascadingAuthenticationState();

builder.Services.AddRazorComponents().AddInteractiveServerComponents();
builder.Services.AddMudServices();
builder.Services.AddPortalUi();

var app = builder.Build();

app.UsePortalSecurityEarly();
app.UseExceptionHandler();
app.UseStatusCodeProblems();
// Inside the problem writer: a browser's unknown page becomes the HTML 404 page before a problem document is written.
app.UseBrowserNotFoundPage();
// Routing after the 404 page, so its re-executed request is routed to the page (WebApplication would route first).
app.UseRouting();
app.UseStaticFiles();
app.UseRefusalAudit();
app.UseAuthentication();
app.UsePortalSecurityChecks();
app.UseAuthorization();
app.UseAntiforgery();

app.MapPortalHealth();
app.MapOpenApi("/openapi/{documentName}.json").AllowAnonymous();

app.MapGroup("/api/v1")
    .RequireAuthorization()
    .MapTeamsApi()
    .MapModelsApi()
    .MapIngestApi()
    .MapSummaryApi()
    .MapExportApi()
    .MapDriftSettingsApi()
    .MapDriftApi()
    .MapGovernanceApi()
    .MapAuditApi()
    .MapAlertRulesApi().MapAlertsApi().MapSilencesApi().MapNotificationsApi();

app.MapHub<LiveHub>(LiveHub.Path);
app.MapAccountEndpoints();
app.MapStaticAssets();
app.MapRazorComponents<App>().AddInteractiveServerRenderMode();

app.Run();
return 0;

static bool IsMachinePath(HttpRequest request) => request.Path.StartsWithSegments("/api") || request.Path.StartsWithSegments("/hubs");

static Task RedirectTo(Microsoft.AspNetCore.Authentication.RedirectContext<Microsoft.AspNetCore.Authentication.Cookies.CookieAuthenticationOptions> context)
{
    var request = context.Request;
    context.Response.Redirect(AccountEndpoints.SignInRedirect(request.PathBase + request.Path + request.QueryString));
    return Task.CompletedTask;
}

// The one configuration file sits at the repository root and is copied beside the binaries;
// it ranks with appsettings.json, below environment variables and the command line.
static void AddRepositoryAppSettings(ConfigurationManager configuration)
{
    var sources = configuration.Sources;
    var lastJson = -1;
    for (var i = 0; i < sources.Count; i++)
        if (sources[i] is JsonConfigurationSource) lastJson = i;
    sources.Insert(lastJson + 1, new JsonConfigurationSource
    {
        Path = "appsettings.json",
        Optional = true,
        ReloadOnChange = false,
        FileProvider = new PhysicalFileProvider(AppContext.BaseDirectory),
    });
}

/// <summary>Entry point type for WebApplicationFactory in the tests.</summary>
public partial class Program;
