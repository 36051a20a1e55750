using System.Collections.Concurrent;
using Microsoft.AspNetCore.SignalR;
using ModelWatch.Engine.Access;
using ModelWatch.Engine.Registry;
using ModelWatch.Portal.Auth;

namespace ModelWatch.Portal.Hubs;

/// <summary>
/// The open hub connections and what they subscribed. A revoked key's connections are closed at once; a sweep
/// re-checks every connection's caller (sign-out, user removed, team removal), so access withdrawn stops the stream.
/// </summary>
public sealed class HubConnections : BackgroundService
{
    private readonly ConcurrentDictionary<string, Entry> _open = new(StringComparer.Ordinal);
    private readonly CallerResolver _callers;
    private readonly RegistryStore _registry;
    private readonly TimeProvider _clock;
    private readonly ILogger<HubConnections> _logger;

    public HubConnections(ApiKeyStore keys, CallerResolver callers, RegistryStore registry, TimeProvider clock, ILogger<HubConnections> logger)
    {
        _callers = callers;
        _registry = registry;
        _clock = clock;
        _logger = logger;
        keys.Revoked += CloseKey;
    }

    /// <summary>How often every open connection is re-checked.</summary>
    public TimeSpan SweepInterval { get; init; } = TimeSpan.FromSeconds(5);

    public int Count => _open.Count;

    public void Opened(HubCallerContext context) =>
        _open[context.ConnectionId] = new Entry(context, context.User?.FindFirst(PortalClaims.KeyId)?.Value, new ConcurrentDictionary<string, byte>(StringComparer.Ordinal));

    public void Subscribed(string connectionId, string modelId)
    {
        if (_open.TryGetValue(connectionId, out var entry)) entry.Models[modelId] = 0;
    }

    public void Closed(string connectionId) => _open.TryRemove(connectionId, out _);

    /// <summary>Ends a connection from the server side (its client sees the close and may reconnect with valid credentials).</summary>
    public void Abort(string connectionId)
    {
        if (_open.TryRemove(connectionId, out var entry)) entry.Context.Abort();
    }

    private void CloseKey(string keyId)
    {
        foreach (var (id, entry) in _open)
            if (entry.KeyId == keyId) Abort(id);
    }

    /// <summary>One pass over every connection; public so tests can run it without waiting.</summary>
    public void Sweep()
    {
        foreach (var (id, entry) in _open)
        {
            var caller = entry.Context.User is { } user ? _callers.ResolveCurrent(user) : null;
            var stillAllowed = caller is not null && entry.Models.Keys.All(m => _registry.FindModel(m) is { } model && caller.CanRead(model));
            if (!stillAllowed) Abort(id);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(SweepInterval, _clock);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try { Sweep(); }
                catch (Exception e) { _logger.LogWarning(e, "Re-checking hub connections failed; trying again in {Interval}", SweepInterval); }
            }
        }
        catch (OperationCanceledException) { /* stopping */ }
    }

    private sealed record Entry(HubCallerContext Context, string? KeyId, ConcurrentDictionary<string, byte> Models);
}
