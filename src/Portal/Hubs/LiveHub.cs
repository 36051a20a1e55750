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
public sealed class LiveHub(CallerResolver callers, RegistryStore registry, HubSubscriptions subscriptions, AuditLog audit) : Hub
{
    public const string Path = "/hubs/live";
    public const string SummaryMessage = "summary";

    public async Task Subscribe(string modelId, string? window = "1h")
    {
        if (!SummaryWindows.TryParse(window, out var chosen))
            throw new HubException($"Unknown window '{window}'; use 5m, 1h, 24h or 7d.");
        var caller = callers.Resolve(Context.User!) ?? throw new HubException("Not signed in.");
        var model = registry.FindModel(modelId) ?? throw new HubException($"Model '{modelId}' is not registered.");
        if (!caller.CanRead(model))
        {
            audit.Append(new NewAuditEntry(caller.Actor, AuditActions.AccessDenied, model.TeamId, model.Id, After: new { hub = Path, method = nameof(Subscribe) }));
            throw new HubException($"Not allowed: model '{modelId}' belongs to another team.");
        }
        await Groups.AddToGroupAsync(Context.ConnectionId, HubSubscriptions.GroupName(model.Id, chosen));
        subscriptions.Add(Context.ConnectionId, model.Id, chosen);
    }

    public async Task Unsubscribe(string modelId)
    {
        foreach (var window in subscriptions.Remove(Context.ConnectionId, modelId))
            await Groups.RemoveFromGroupAsync(Context.ConnectionId, HubSubscriptions.GroupName(modelId, window));
    }

    public override Task OnDisconnectedAsync(Exception? exception)
    {
        subscriptions.RemoveConnection(Context.ConnectionId);
        return base.OnDisconnectedAsync(exception);
    }
}
