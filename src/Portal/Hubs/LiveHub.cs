using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;
using ModelWatch.Engine.Audit;
using ModelWatch.Engine.Registry;
using ModelWatch.Engine.Windows;
using ModelWatch.Portal.Auth;

namespace ModelWatch.Portal.Hubs;

/// <summary>
/// Public hub for live subscribers outside the portal. Subscribe(modelId, window) → "summary" messages carrying the
/// object of GET /api/v1/models/{id}/summary. Authorised per model by team, like the API.
/// </summary>
[Authorize]
public sealed class LiveHub(CallerResolver callers, RegistryStore registry, HubSubscriptions subscriptions, HubConnections connections, AuditLog audit) : Hub
{
    public const string Path = "/hubs/live";
    public const string SummaryMessage = "summary";

    public async Task Subscribe(string modelId, string? window = "1h")
    {
        if (!SummaryWindows.TryParse(window, out var chosen))
            throw new HubException($"Unknown window '{window}'; use 5m, 1h, 24h or 7d.");
        var caller = CurrentCaller();
        var model = registry.FindModel(modelId);
        if (model is not null && !caller.CanRead(model))
        {
            audit.Append(new NewAuditEntry(caller.Actor, AuditActions.AccessDenied, model.TeamId, model.Id, After: new { hub = Path, method = nameof(Subscribe) }));
            model = null; // the same answer as for a model that does not exist: another team's models are not revealed
        }
        if (model is null) throw new HubException($"Model '{modelId}' is not registered, or you may not read it.");
        connections.Subscribed(Context.ConnectionId, model.Id);
        await Groups.AddToGroupAsync(Context.ConnectionId, HubSubscriptions.GroupName(model.Id, chosen));
        subscriptions.Add(Context.ConnectionId, model.Id, chosen);
    }

    public async Task Unsubscribe(string modelId)
    {
        CurrentCaller();
        foreach (var window in subscriptions.Remove(Context.ConnectionId, modelId))
            await Groups.RemoveFromGroupAsync(Context.ConnectionId, HubSubscriptions.GroupName(modelId, window));
    }

    public override Task OnConnectedAsync()
    {
        connections.Opened(Context);
        return base.OnConnectedAsync();
    }

    /// <summary>Every call re-checks its caller: a revoked key or an ended session closes the connection.</summary>
    private Engine.Access.Caller CurrentCaller()
    {
        if (callers.ResolveCurrent(Context.User!) is { } caller) return caller;
        connections.Abort(Context.ConnectionId);
        throw new HubException("Your API key was revoked or your session ended; connect again with valid credentials.");
    }

    public override Task OnDisconnectedAsync(Exception? exception)
    {
        connections.Closed(Context.ConnectionId);
        subscriptions.RemoveConnection(Context.ConnectionId);
        return base.OnDisconnectedAsync(exception);
    }
}
