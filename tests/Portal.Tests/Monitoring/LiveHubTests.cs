using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using ModelWatch.Portal.Tests.TestSupport;

namespace ModelWatch.Portal.Tests.Monitoring;

public sealed class LiveHubTests(PortalFactory portal) : IClassFixture<PortalFactory>
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
    public async Task A_subscriber_receives_a_summary_after_events_are_ingested()
    {
        var scenario = await Scenario.CreateAsync(portal);
        await using var connection = Connect(scenario.Key);
        var received = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        connection.On<JsonElement>("summary", s =>
        {
            if (s.GetProperty("traffic").GetProperty("predictions").GetInt64() == 3) received.TrySetResult(s);
        });
        await connection.StartAsync();
        await connection.InvokeAsync("Subscribe", scenario.Model, "5m");

        using var api = portal.WithKey(scenario.Key);
        var now = DateTimeOffset.UtcNow.ToString("O");
        await PortalApi.Expect(HttpStatusCode.Accepted, await api.PostAsync(scenario.Predictions,
            PortalApi.Batch(PortalApi.Prediction("a", timestamp: now), PortalApi.Prediction("b", timestamp: now), PortalApi.Prediction("c", timestamp: now))));

        var summary = await received.Task.WaitAsync(TimeSpan.FromSeconds(15));
        Assert.Equal(scenario.Model, summary.GetProperty("modelId").GetString());
        Assert.Equal("5m", summary.GetProperty("window").GetString());
        Assert.Equal(3, summary.GetProperty("latency").GetProperty("count").GetInt64());
    }

    [Fact]
    public async Task Subscribing_to_another_teams_model_is_refused()
    {
        var mine = await Scenario.CreateAsync(portal);
        var theirs = await Scenario.CreateAsync(portal);
        await using var connection = Connect(mine.Key);
        await connection.StartAsync();

        var refused = await Assert.ThrowsAsync<HubException>(() => connection.InvokeAsync("Subscribe", theirs.Model, "1h"));
        var unknown = await Assert.ThrowsAsync<HubException>(() => connection.InvokeAsync("Subscribe", "no-such-model", "1h"));
        // Refused exactly as a model that does not exist is, so a key learns nothing about other teams' models.
        Assert.Equal(unknown.Message.Replace("no-such-model", theirs.Model, StringComparison.Ordinal), refused.Message);
        Assert.DoesNotContain(theirs.Team, refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_window_or_model_is_refused_with_a_reason()
    {
        var scenario = await Scenario.CreateAsync(portal);
        await using var connection = Connect(scenario.Key);
        await connection.StartAsync();

        Assert.Contains("window", (await Assert.ThrowsAsync<HubException>(() => connection.InvokeAsync("Subscribe", scenario.Model, "3w"))).Message);
        Assert.Contains("not registered", (await Assert.ThrowsAsync<HubException>(() => connection.InvokeAsync("Subscribe", "no-such-model", "1h"))).Message);
    }

    [Fact]
    public async Task Connecting_without_a_key_is_refused()
    {
        await using var connection = Connect("not-a-key");
        var refused = await Assert.ThrowsAnyAsync<HttpRequestException>(() => connection.StartAsync());
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
    }
}
