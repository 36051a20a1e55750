using System.Net;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.Options;
using System.Security.Claims;
using ModelWatch.Engine.Access;
using ModelWatch.Portal.Auth;
using ModelWatch.Portal.Security;
using ModelWatch.Portal.Tests.Governance;
using ModelWatch.Portal.Tests.TestSupport;
using static ModelWatch.Portal.Tests.TestSupport.PortalApi;

namespace ModelWatch.Portal.Tests.Security;

/// <summary>Four-eyes between persons, not credentials; and access withdrawn from long-lived connections.</summary>
public sealed class PersonsAndRevocationTests(PortalFactory portal) : IClassFixture<PortalFactory>
{
    private static async Task<long> RequestProductionAsync(PortalApi requester, string model)
    {
        var request = await Expect(HttpStatusCode.Created, await requester.PostAsync($"/api/v1/models/{model}/aliases/production/requests", """{ "version": "1.0.0", "reason": "better recall" }"""));
        return request.GetProperty("id").GetInt64();
    }

    [Fact]
    public async Task A_lead_who_files_with_her_own_team_key_cannot_approve_with_her_cookie()
    {
        var s = await Scenario.CreateAsync(portal);
        var (dana, cookie) = await People.SignedInAsync(portal, Roles.DataScientist, (s.Team, "lead"));
        var (_, key) = await cookie.CreateKeyAsync(s.Team, "dana-script");
        using var keyApi = portal.WithKey(key);
        var rid = await RequestProductionAsync(keyApi, s.Model);

        var refused = await ExpectProblem(HttpStatusCode.Forbidden, await cookie.PostAsync($"/api/v1/alias-requests/{rid}/approve", "{}"));

        Assert.Contains("Four-eyes", refused.GetProperty("detail").GetString());
        var request = (await Expect(HttpStatusCode.OK, await cookie.GetAsync($"/api/v1/models/{s.Model}/aliases"))).GetProperty("requests").EnumerateArray().Single();
        Assert.Equal($"user:{dana}", request.GetProperty("requestedFor").GetString());
        Assert.Equal("pending", request.GetProperty("status").GetString());
        // She may still withdraw it with her cookie although the key filed it: it is her request.
        var withdrawn = await Expect(HttpStatusCode.OK, await cookie.PostAsync($"/api/v1/alias-requests/{rid}/reject", """{ "reason": "withdrawn" }"""));
        Assert.Equal("rejected", withdrawn.GetProperty("status").GetString());
        Assert.Equal("withdrawn", withdrawn.GetProperty("decisionReason").GetString());
    }

    [Fact]
    public async Task An_admin_with_a_key_and_a_cookie_or_the_bootstrap_key_twice_is_one_person()
    {
        var s = await Scenario.CreateAsync(portal);
        var admin = new PortalApi(await People.SignInAsync(portal, "admin", PortalFactory.AdminPassword));
        var (_, adminsKey) = await admin.CreateKeyAsync(s.Team, "admin-script");
        using var viaKey = portal.WithKey(adminsKey);

        var rid = await RequestProductionAsync(viaKey, s.Model);
        await ExpectProblem(HttpStatusCode.Forbidden, await admin.PostAsync($"/api/v1/alias-requests/{rid}/approve", "{}"));

        // The configured bootstrap key acts for system:bootstrap; a team key it issued is the same identity.
        using var bootstrap = portal.Admin();
        var (_, issued) = await bootstrap.CreateKeyAsync(s.Team, "bootstrap-made");
        using var viaIssued = portal.WithKey(issued);
        var rid2 = await RequestProductionAsync(viaIssued, s.Model);
        await ExpectProblem(HttpStatusCode.Forbidden, await bootstrap.PostAsync($"/api/v1/alias-requests/{rid2}/approve", "{}"));

        // A different person may approve.
        await Expect(HttpStatusCode.OK, await bootstrap.PostAsync($"/api/v1/alias-requests/{rid}/approve", """{ "reason": "reviewed" }"""));
    }

    /// <summary>A hub connection with the scenario's key, subscribed to its model, and a task that completes when the server closes it.</summary>
    private async Task<(HubConnection Connection, Task Closed)> SubscribedAsync(Scenario s)
    {
        var connection = Connect(s.Key);
        var closed = new TaskCompletionSource();
        connection.Closed += _ => { closed.TrySetResult(); return Task.CompletedTask; };
        await connection.StartAsync();
        await connection.InvokeAsync("Subscribe", s.Model, "1h");
        return (connection, closed.Task);
    }

    private HubConnection Connect(string key) => new HubConnectionBuilder()
        .WithUrl(new Uri(portal.Server.BaseAddress, "/hubs/live"), o =>
        {
            o.HttpMessageHandlerFactory = _ => portal.Server.CreateHandler();
            o.Transports = HttpTransportType.LongPolling;
            o.Headers["X-Api-Key"] = key;
        }).Build();

    [Fact]
    public async Task Revoking_a_key_closes_its_hub_connections_within_a_second()
    {
        var s = await Scenario.CreateAsync(portal);
        var (connection, closed) = await SubscribedAsync(s);
        await using var _ = connection;

        using var admin = portal.Admin();
        await Expect(HttpStatusCode.NoContent, await admin.DeleteAsync($"/api/v1/keys/{s.KeyId}"));

        var finished = await Task.WhenAny(closed, Task.Delay(TimeSpan.FromSeconds(1)));
        Assert.True(finished == closed, "the revoked key's connection was still open after 1 s");
    }

    [Fact]
    public async Task A_model_moved_to_another_team_closes_the_old_teams_hub_connection_at_the_next_sweep()
    {
        var s = await Scenario.CreateAsync(portal);
        var (connection, closed) = await SubscribedAsync(s);
        await using var _ = connection;
        var sweep = portal.Services.GetRequiredService<ModelWatch.Portal.Hubs.HubConnections>();
        sweep.Sweep();
        Assert.Equal(HubConnectionState.Connected, connection.State); // still allowed: nothing happens

        using var admin = portal.Admin();
        var other = Scenario.NewId("team");
        await admin.CreateTeamAsync(other);
        await Expect(HttpStatusCode.OK, await admin.Http.PutAsync($"/api/v1/models/{s.Model}/owner",
            new StringContent($$"""{ "team": "{{other}}", "reason": "reorganisation" }""", System.Text.Encoding.UTF8, "application/json")));
        sweep.Sweep();

        var finished = await Task.WhenAny(closed, Task.Delay(TimeSpan.FromSeconds(5)));
        Assert.True(finished == closed, "the old team's key still streams the model it no longer owns");
    }

    [Fact]
    public async Task A_circuit_revalidation_notices_a_team_removal_and_a_sign_out()
    {
        var s = await Scenario.CreateAsync(portal);
        var (username, api) = await People.SignedInAsync(portal, Roles.DataScientist, (s.Team, "member"));
        var session = portal.Services.GetRequiredService<SessionStore>();
        var sessionId = Guid.NewGuid().ToString("N");
        // The principal a circuit would hold, with a live session of the user.
        var user = portal.Services.GetRequiredService<UserStore>().Find(username)!;
        var started = session.Start(user, TimeSpan.FromHours(1));
        var principal = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, username), new Claim(PortalClaims.Session, started)], PortalClaims.CookieScheme));
        _ = sessionId;

        using var scope = portal.Services.CreateScope();
        var provider = new CircuitRevalidation(scope.ServiceProvider.GetRequiredService<ILoggerFactory>(), portal.Services.GetRequiredService<CallerResolver>(),
            Options.Create(new SecurityOptions { CircuitRevalidationInterval = TimeSpan.FromMilliseconds(100) }));
        var states = new System.Collections.Concurrent.ConcurrentQueue<ClaimsPrincipal>();
        provider.AuthenticationStateChanged += async t => states.Enqueue((await t).User);
        provider.SetAuthenticationState(Task.FromResult(new AuthenticationState(principal)));
        var callers = portal.Services.GetRequiredService<CallerResolver>();

        using var admin = portal.Admin();
        await Expect(HttpStatusCode.NoContent, await admin.DeleteAsync($"/api/v1/teams/{s.Team}/members/{username}"));
        await Until(() => states.Any(p => callers.Resolve(p) is { } c && !c.Teams.Contains(s.Team)), "team removal not announced");

        session.End(started);
        await Until(() => states.Any(p => p.Identity?.IsAuthenticated != true), "ended session not signed out");
        ((IDisposable)provider).Dispose();
        api.Dispose();
    }

    private static async Task Until(Func<bool> condition, string because)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, because);
            await Task.Delay(20);
        }
    }
}
