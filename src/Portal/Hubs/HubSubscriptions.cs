using Microsoft.AspNetCore.SignalR;
using ModelWatch.Engine.Live;
using ModelWatch.Engine.Windows;

namespace ModelWatch.Portal.Hubs;

/// <summary>
/// Bridges the live feed to hub subscribers: one feed subscription per (model, window) that has at least one connection,
/// so a summary is computed once and sent to every subscriber of this node. Only this node's: with the Redis backplane a
/// group spans every node, and each node's feed would otherwise reach every subscriber once per node.
/// </summary>
public sealed class HubSubscriptions(ILiveFeed feed, IHubContext<LiveHub> hub, ILogger<HubSubscriptions> logger) : IDisposable
{
    private readonly Lock _lock = new();
    private readonly Dictionary<(string Model, SummaryWindow Window), (IDisposable Feed, HashSet<string> Connections)> _groups = [];

    public static string GroupName(string modelId, SummaryWindow window) => $"model:{modelId}:{window.ToName()}";

    public void Add(string connectionId, string modelId, SummaryWindow window)
    {
        lock (_lock)
        {
            if (!_groups.TryGetValue((modelId, window), out var group))
            {
                var key = (modelId, window);
                var subscription = feed.Subscribe(modelId, window, null, update => Send(key, update));
                _groups[(modelId, window)] = group = (subscription, new HashSet<string>(StringComparer.Ordinal));
            }
            group.Connections.Add(connectionId);
        }
    }

    /// <summary>Removes a connection from every window of a model; returns the windows it left.</summary>
    public IReadOnlyList<SummaryWindow> Remove(string connectionId, string modelId)
    {
        lock (_lock)
        {
            var left = new List<SummaryWindow>();
            foreach (var key in _groups.Keys.Where(k => k.Model == modelId).ToList())
            {
                if (_groups[key].Connections.Remove(connectionId)) left.Add(key.Window);
                DropIfEmpty(key);
            }
            return left;
        }
    }

    public void RemoveConnection(string connectionId)
    {
        lock (_lock)
        {
            foreach (var key in _groups.Keys.ToList())
            {
                _groups[key].Connections.Remove(connectionId);
                DropIfEmpty(key);
            }
        }
    }

    private void DropIfEmpty((string, SummaryWindow) key)
    {
        if (_groups[key].Connections.Count > 0) return;
        _groups[key].Feed.Dispose();
        _groups.Remove(key);
    }

    private void Send((string Model, SummaryWindow Window) key, LiveUpdate update)
    {
        string[] connections;
        lock (_lock)
        {
            if (!_groups.TryGetValue(key, out var group)) return;
            connections = [.. group.Connections];
        }
        hub.Clients.Clients(connections).SendAsync(LiveHub.SummaryMessage, update.Summary).ContinueWith(
            t => logger.LogWarning(t.Exception, "Sending a live summary to {Group} failed", GroupName(key.Model, key.Window)), TaskContinuationOptions.OnlyOnFaulted);
    }

    public void Dispose()
    {
        lock (_lock)
        {
            foreach (var (subscription, _) in _groups.Values) subscription.Dispose();
            _groups.Clear();
        }
    }
}
