using System.Collections.Concurrent;
using System.Security.Claims;
using Microsoft.AspNetCore.SignalR;
using ModelWatch.Engine.Alerting;
using ModelWatch.Portal.Auth;

namespace ModelWatch.Portal.Hubs;

/// <summary>The "alert" message on /hubs/live: a small summary of an alert that changed (well under 32 KB).</summary>
public sealed record AlertHubMessage(long Id, string State, string Rule, string RuleName, string Model, string? Team, string? Feature, string Signal,
    string Severity, double? Value, string? Threshold, string? Summary, DateTimeOffset? StartsAt, DateTimeOffset? EndsAt, string? AcknowledgedBy)
{
    public const int MaxSummaryChars = 500;

    public static AlertHubMessage From(AlertRecord a)
    {
        var summary = a.Annotations.GetValueOrDefault("summary");
        if (summary is { Length: > MaxSummaryChars }) summary = summary[..MaxSummaryChars] + "…";
        return new(a.Id, a.Status, a.RuleId, a.RuleName, a.ModelId, a.TeamId, a.Feature, a.Signal, a.Severity, a.Value, a.Threshold, summary,
            a.StartsAt ?? a.CreatedAt, a.EndsAt, a.AcknowledgedBy);
    }
}

/// <summary>
/// Sends every alert the evaluator changed to each hub connection whose caller may see its model. The caller is
/// resolved again at each send, so a membership change applies to the next alert without a reconnect.
/// </summary>
public sealed class AlertHubFeed : IDisposable
{
    public const string AlertMessage = "alert";

    private readonly ConcurrentDictionary<string, ClaimsPrincipal> _connections = new(StringComparer.Ordinal);
    private readonly AlertEvaluator _evaluator;
    private readonly AlertStore _alerts;
    private readonly CallerResolver _callers;
    private readonly IHubContext<LiveHub> _hub;
    private readonly ILogger<AlertHubFeed> _logger;

    public AlertHubFeed(AlertEvaluator evaluator, AlertStore alerts, CallerResolver callers, IHubContext<LiveHub> hub, ILogger<AlertHubFeed> logger)
    {
        (_evaluator, _alerts, _callers, _hub, _logger) = (evaluator, alerts, callers, hub, logger);
        _evaluator.AlertsChanged += Send;
    }

    public void Connected(string connectionId, ClaimsPrincipal user) => _connections[connectionId] = user;

    public void Disconnected(string connectionId) => _connections.TryRemove(connectionId, out _);

    private void Send(IReadOnlyList<long> changed)
    {
        if (_connections.IsEmpty) return;
        // A pending alert that was cancelled is deleted, so Find answers null: there is nothing left to announce.
        var messages = changed.Select(_alerts.Find).OfType<AlertRecord>().ToList();
        foreach (var (connectionId, user) in _connections)
        {
            var caller = _callers.Resolve(user);
            if (caller is null) continue;
            foreach (var alert in messages.Where(a => caller.ReadsEverything || (a.TeamId is { } team && caller.Teams.Contains(team))))
                _hub.Clients.Client(connectionId).SendAsync(AlertMessage, AlertHubMessage.From(alert)).ContinueWith(
                    t => _logger.LogWarning(t.Exception, "Sending alert {Alert} to hub connection {Connection} failed", alert.Id, connectionId), TaskContinuationOptions.OnlyOnFaulted);
        }
    }

    public void Dispose() => _evaluator.AlertsChanged -= Send;
}

/// <summary>Tells the alert feed which connections are open, without the hub itself having to know about alerts.</summary>
public sealed class AlertHubConnections(AlertHubFeed feed) : IHubFilter
{
    public async Task OnConnectedAsync(HubLifetimeContext context, Func<HubLifetimeContext, Task> next)
    {
        await next(context);
        if (context.Context.User is { } user) feed.Connected(context.Context.ConnectionId, user);
    }

    public async Task OnDisconnectedAsync(HubLifetimeContext context, Exception? exception, Func<HubLifetimeContext, Exception?, Task> next)
    {
        feed.Disconnected(context.Context.ConnectionId);
        await next(context, exception);
    }
}

public static class AlertHubServices
{
    /// <summary>The "alert" message on the public hub; call after AddSignalR.</summary>
    public static IServiceCollection AddAlertHub(this IServiceCollection services)
    {
        services.AddSingleton<AlertHubFeed>();
        // A global filter: the per-hub options copy it from here (the portal has one public hub).
        services.Configure<HubOptions>(o => o.AddFilter<AlertHubConnections>());
        return services;
    }
}
