using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using ModelWatch.Engine;
using ModelWatch.Engine.Storage;

namespace ModelWatch.Portal.HealthChecks;

/// <summary>
/// /healthz/live (the process works; restart it when this fails), /healthz/ready (send it traffic) and /healthz,
/// which answers as readiness. Failures are problem responses that say why.
/// </summary>
public static class HealthEndpoints
{
    private const string Live = "live", Ready = "ready";

    public static IServiceCollection AddPortalHealth(this IServiceCollection services)
    {
        services.AddSingleton<StorageProbe>();
        services.AddExceptionHandler<StorageFailureHandler>();
        services.AddHealthChecks()
            .AddCheck<LivenessCheck>("process", tags: [Live])
            .AddCheck<StorageReadinessCheck>("storage", tags: [Ready]);
        services.AddSingleton<StorageReadinessCheck>();
        return services;
    }

    public static IEndpointRouteBuilder MapPortalHealth(this IEndpointRouteBuilder app)
    {
        app.MapHealthChecks("/healthz/live", Options(Live, "live", "Not live")).AllowAnonymous();
        app.MapHealthChecks("/healthz/ready", Options(Ready, "ready", "Not ready")).AllowAnonymous();
        app.MapHealthChecks("/healthz", Options(Ready, "ready", "Not ready")).AllowAnonymous();
        return app;
    }

    private static HealthCheckOptions Options(string tag, string healthyStatus, string title) => new()
    {
        Predicate = check => check.Tags.Contains(tag),
        ResultStatusCodes =
        {
            [HealthStatus.Healthy] = StatusCodes.Status200OK,
            [HealthStatus.Degraded] = StatusCodes.Status200OK,
            [HealthStatus.Unhealthy] = StatusCodes.Status503ServiceUnavailable,
        },
        ResponseWriter = (context, report) =>
        {
            context.Response.Headers.CacheControl = "no-store";
            var health = context.RequestServices.GetRequiredService<EngineHealth>();
            // The one-off aggregation of a pre-tier database runs while the portal serves: show how far it got.
            var upgrade = health.UpgradeProgress is { } p ? new { aggregatedShare = Math.Round(p, 4) } : null;
            if (report.Status != HealthStatus.Unhealthy)
                return upgrade is null ? context.Response.WriteAsJsonAsync(new { status = healthyStatus }) : context.Response.WriteAsJsonAsync(new { status = healthyStatus, upgrade });
            var reason = string.Join("; ", report.Entries.Values.Where(e => e.Status == HealthStatus.Unhealthy).Select(e => e.Description ?? e.Exception?.Message ?? "unhealthy"));
            context.Response.Headers.RetryAfter = "5";
            var extensions = new Dictionary<string, object?> { ["reason"] = reason };
            if (tag == Ready && health.IsAlive && health.Starting is not null) extensions["state"] = "starting"; // replaying the tail: wait, do not restart ("status" stays the RFC 7807 number)
            if (upgrade is not null) extensions["upgrade"] = upgrade;
            return Problems.Write(context, StatusCodes.Status503ServiceUnavailable, title, $"The portal is not {healthyStatus}: {reason}.", extensions);
        },
    };

    /// <summary>Liveness fails only for what a restart can fix (the writer thread died), never for a full disk.</summary>
    private sealed class LivenessCheck(EngineHealth health) : IHealthCheck
    {
        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
            Task.FromResult(health.IsAlive ? HealthCheckResult.Healthy("live") : HealthCheckResult.Unhealthy(health.Status));
    }
}
