using ModelWatch.Engine.Audit;
using ModelWatch.Engine.Registry;

namespace ModelWatch.Portal.Auth;

/// <summary>
/// Records every refused authorisation (403), whichever layer refused it: the authorisation middleware or a handler.
/// Runs outermost, so it sees the final status and the caller the authentication middleware found.
/// </summary>
public sealed class RefusalAudit(RequestDelegate next, AuditLog audit, CallerResolver callers, RegistryStore registry)
{
    private const string RefusedKey = "mw:refused";

    /// <summary>A refusal answered as 404 (so as not to reveal what exists) is still recorded as a refusal.</summary>
    public static void MarkRefused(HttpContext context) => context.Items[RefusedKey] = true;

    public async Task InvokeAsync(HttpContext context)
    {
        await next(context);
        if (context.Response.StatusCode != StatusCodes.Status403Forbidden && !context.Items.ContainsKey(RefusedKey)) return;
        var actor = callers.Resolve(context.User)?.Actor ?? "anonymous";
        var path = context.Request.Path.Value ?? "";
        var id = context.Request.RouteValues.TryGetValue("id", out var value) ? value?.ToString() : null;
        string? model = null, team = null;
        if (id is not null && path.StartsWith("/api/v1/models/", StringComparison.Ordinal))
        {
            model = id;
            team = registry.FindModel(id)?.TeamId;
        }
        else if (id is not null && path.StartsWith("/api/v1/teams/", StringComparison.Ordinal)) team = id;
        audit.Append(new NewAuditEntry(actor, AuditActions.AccessDenied, team, model, After: new { method = context.Request.Method, path }));
    }
}

public static class RefusalAuditExtensions
{
    public static IApplicationBuilder UseRefusalAudit(this IApplicationBuilder app) => app.UseMiddleware<RefusalAudit>();
}
