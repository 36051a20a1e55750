using Microsoft.AspNetCore.SignalR;
using ModelWatch.Engine.Live;
using ModelWatch.Engine.Windows;

namespace ModelWatch.Portal.Hubs;

/// <summary>
/// Bridges the live feed to hub groups: one feed subscription per (model, window) that has at least one connection,
/// so a summary is computed once and sent to the whole group.
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
                var name = GroupName(modelId, window);
                var subscription = feed.Subscribe(modelId, window, null, update => Send(name, update));
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

    private void Send(string group, LiveUpdate update)
    {
        hub.Clients.Group(group).SendAsync(LiveHub.SummaryMessage, update.Summary).ContinueWith(
            t => logger.LogWarning(t.Exception, "Sending a live summary to {Group} failed", group), TaskContinuationOptions.OnlyOnFaulted);
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
