using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using ModelWatch.Engine.Tests.TestSupport;
using ModelWatch.Engine.Windows;
using ModelWatch.Portal.Hubs;
using ModelWatch.Portal.Tests.TestSupport;

namespace ModelWatch.Portal.Tests.Monitoring;

/// <summary>
/// Two portal nodes sharing one Redis (MODELWATCH_TEST_REDIS). Each has its own SQLite file: the shared database is not
/// there yet, so each node registers the same team, key and model for itself.
/// </summary>
public sealed class RedisBackplaneTests : IAsyncLifetime
{
    private readonly PortalFactory _a = Node(), _b = Node();
    private readonly List<HubConnection> _clients = [];

    private static PortalFactory Node() => PortalFactory.With(new Dictionary<string, string?> { ["ConnectionStrings:Redis"] = TestServices.Redis });

    public Task InitializeAsync() => Task.CompletedTask;

    /// <summary>The same team, key holder and model on both nodes; returns each node's key.</summary>
    private async Task<(string Model, string KeyOnA, string KeyOnB)> SameModelOnBothNodes()
    {
        var (team, model) = (Scenario.NewId("team"), Scenario.NewId("model"));
        var keys = new List<string>();
        foreach (var node in new[] { _a, _b })
        {
            using var admin = node.Admin();
            await admin.CreateTeamAsync(team);
            keys.Add((await admin.CreateKeyAsync(team)).Key);
            await admin.CreateModelAsync(model, team, "binary-classification");
        }
        return (model, keys[0], keys[1]);
    }

    private async Task<(HubConnection Connection, ConcurrentQueue<JsonElement> Received)> SubscribeAsync(PortalFactory node, string key, string model)
    {
        var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(node.Server.BaseAddress, LiveHub.Path), o =>
            {
                o.HttpMessageHandlerFactory = _ => node.Server.CreateHandler();
                o.Transports = HttpTransportType.LongPolling; // the in-memory test server has no WebSockets
                o.Headers["X-Api-Key"] = key;
            })
            .Build();
        _clients.Add(connection);
        var received = new ConcurrentQueue<JsonElement>();
        connection.On<JsonElement>(LiveHub.SummaryMessage, received.Enqueue);
        await connection.StartAsync();
        await connection.InvokeAsync("Subscribe", model, "5m");
        return (connection, received);
    }

    private static Task SendToGroupAsync(PortalFactory node, string model, object message) =>
        node.Services.GetRequiredService<IHubContext<LiveHub>>().Clients.Group(HubSubscriptions.GroupName(model, SummaryWindow.FiveMinutes)).SendAsync(LiveHub.SummaryMessage, message);

    private static async Task WaitFor(ConcurrentQueue<JsonElement> received, Func<JsonElement, bool> match, string what)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        while (!received.Any(match))
        {
            try { await Task.Delay(20, deadline.Token); }
            catch (OperationCanceledException) { throw new TimeoutException($"No {what} within 15 s; received: {string.Join(", ", received)}"); }
        }
    }

    private static Func<JsonElement, bool> Marker(string marker) => m => m.TryGetProperty("marker", out var v) && v.GetString() == marker;

    private static Func<JsonElement, bool> Predictions(long count) =>
        m => m.TryGetProperty("traffic", out var t) && t.GetProperty("predictions").GetInt64() == count;

    [Fact]
    public async Task A_group_message_sent_on_node_A_reaches_a_subscriber_on_node_B_exactly_once()
    {
        var (model, _, keyOnB) = await SameModelOnBothNodes();
        var (_, onB) = await SubscribeAsync(_b, keyOnB, model);
        var (message, sentinel) = (Guid.NewGuid().ToString("N"), Guid.NewGuid().ToString("N"));

        await SendToGroupAsync(_a, model, new { marker = message });
        // Messages from one node travel in order: once the sentinel is in, a duplicate would be too.
        await SendToGroupAsync(_a, model, new { marker = sentinel });
        await WaitFor(onB, Marker(sentinel), "sentinel from node A");

        Assert.Single(onB, m => Marker(message)(m));
    }

    [Fact]
    public async Task Each_node_delivers_its_live_summaries_to_its_own_subscribers_only()
    {
        var (model, keyOnA, keyOnB) = await SameModelOnBothNodes();
        var (_, onA) = await SubscribeAsync(_a, keyOnA, model);
        var (_, onB) = await SubscribeAsync(_b, keyOnB, model);
        var now = DateTimeOffset.UtcNow.ToString("O");

        using (var api = _b.WithKey(keyOnB))
        {
            await PortalApi.Expect(HttpStatusCode.Accepted, await api.PostAsync($"/api/v1/models/{model}/predictions",
                PortalApi.Batch(PortalApi.Prediction("a", timestamp: now), PortalApi.Prediction("b", timestamp: now), PortalApi.Prediction("c", timestamp: now))));
        }
        await WaitFor(onB, Predictions(3), "summary of node B's three predictions on node B");
        // A sentinel from B after its summary: when it reaches A's subscriber, anything B sent to the group has too.
        var sentinel = Guid.NewGuid().ToString("N");
        await SendToGroupAsync(_b, model, new { marker = sentinel });
        await WaitFor(onA, Marker(sentinel), "sentinel from node B on node A");

        Assert.DoesNotContain(onA, m => Predictions(3)(m));
    }

    public async Task DisposeAsync()
    {
        foreach (var client in _clients) await client.DisposeAsync();
        await _a.DisposeAsync();
        await _b.DisposeAsync();
    }
}
