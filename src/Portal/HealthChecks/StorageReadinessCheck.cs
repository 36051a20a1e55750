using Microsoft.Extensions.Diagnostics.HealthChecks;
using ModelWatch.Engine;
using ModelWatch.Engine.Storage;

namespace ModelWatch.Portal.HealthChecks;

/// <summary>
/// Readiness: everything <see cref="EngineHealth"/> tracks. While the last write failed it probes storage (at most
/// every <see cref="ProbeInterval"/>), so readiness comes back by itself once the disk has room again.
/// </summary>
public sealed class StorageReadinessCheck(EngineHealth health, StorageProbe probe, TimeProvider clock) : IHealthCheck
{
    public static readonly TimeSpan ProbeInterval = TimeSpan.FromSeconds(2);
    private readonly Lock _gate = new();
    private DateTimeOffset _lastProbe = DateTimeOffset.MinValue;

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (health.LastWriteFailure is not null && ProbeIsDue()) probe.TryWrite();
        return Task.FromResult(health.IsReady ? HealthCheckResult.Healthy(health.Status) : HealthCheckResult.Unhealthy(health.Status));
    }

    private bool ProbeIsDue()
    {
        lock (_gate)
        {
            var now = clock.GetUtcNow();
            if (now - _lastProbe < ProbeInterval) return false;
            _lastProbe = now;
            return true;
        }
    }
}
