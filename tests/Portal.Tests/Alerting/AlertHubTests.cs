using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using ModelWatch.Portal.Tests.TestSupport;
using static ModelWatch.Portal.Tests.Alerting.AlertingSteps;

namespace ModelWatch.Portal.Tests.Alerting;

public sealed class AlertHubTests(PortalFactory portal) : IClassFixture<PortalFactory>
{
    private HubConnection Connect(string key) => new HubConnectionBuilder()
        .WithUrl(new Uri(portal.Server.BaseAddress, "/hubs/live"), o =>
        {
            o.HttpMessageHandlerFactory = _ => portal.Server.CreateHandler();
            o.Transports = HttpTransportType.LongPolling; // the in-memory test server has no WebSockets
            o.Headers["X-Api-Key"] = key;
        })
        .Build();

    [Fact]
    public async Task A_hub_client_gets_a_small_alert_message_for_its_teams_models_and_none_for_other_teams()
    {
        var mine = await Scenario.CreateAsync(portal);
        var theirs = await Scenario.CreateAsync(portal);
        await using var own = Connect(mine.Key);
        await using var other = Connect(theirs.Key);
        var ownReceived = new ConcurrentQueue<(JsonElement Message, int Bytes)>();
        var otherReceived = new ConcurrentQueue<JsonElement>();
        own.On<JsonElement>("alert", m => ownReceived.Enqueue((m, Encoding.UTF8.GetByteCount(m.GetRawText()))));
        other.On<JsonElement>("alert", m => otherReceived.Enqueue(m));
        await own.StartAsync();
        await other.StartAsync();

        using var admin = portal.Admin();
        await PortalApi.Expect(HttpStatusCode.Created, await admin.PostAsync("/api/v1/alert-rules", LatencyRule(mine.Model)));
        using var key = portal.WithKey(mine.Key);
        await SendAsync(key, mine.Model, 10, latencyMs: 500);
        await UntilAsync(portal, () => Task.FromResult(ownReceived.Any(m => m.Message.GetProperty("model").GetString() == mine.Model)), "the alert message");

        var (message, bytes) = ownReceived.First(m => m.Message.GetProperty("model").GetString() == mine.Model);
        Assert.Equal("firing", message.GetProperty("state").GetString());
        Assert.Equal("critical", message.GetProperty("severity").GetString());
        Assert.Equal(mine.Team, message.GetProperty("team").GetString());
        Assert.Equal("> 100", message.GetProperty("threshold").GetString());
        Assert.True(bytes < 32 * 1024, $"an alert message of {bytes} bytes");

        // The other team's own alert arrives after anything sent to it for ours would have: messages to one connection keep their order.
        await PortalApi.Expect(HttpStatusCode.Created, await admin.PostAsync("/api/v1/alert-rules", LatencyRule(theirs.Model)));
        using var theirKey = portal.WithKey(theirs.Key);
        await SendAsync(theirKey, theirs.Model, 10, latencyMs: 500);
        await UntilAsync(portal, () => Task.FromResult(otherReceived.Any(m => m.GetProperty("model").GetString() == theirs.Model)), "the other team's alert message");
        Assert.DoesNotContain(otherReceived, m => m.GetProperty("model").GetString() == mine.Model);
    }
}
