using System.Net;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using ModelWatch.Engine.Access;
using ModelWatch.Portal.Tests.TestSupport;
using static ModelWatch.Portal.Tests.TestSupport.PortalApi;

namespace ModelWatch.Portal.Tests.Governance;

/// <summary>
/// Every route the app maps, for every kind of caller: allowed (anything but 401/403), or refused (403 for a known
/// caller, 401 or a redirect to sign-in for an anonymous one) with the refusal in the audit log. A route missing from
/// the matrix fails the test, so a new endpoint cannot ship without deciding who may call it.
/// </summary>
public sealed class AccessMatrixTests(PortalFactory portal) : IClassFixture<PortalFactory>
{
    private enum Who { Anonymous, AdminKey, AdminUser, OwnerLead, OwnerScientist, OwnerOps, OwnerKey, OtherScientist, OtherKey, Auditor }

    private static readonly Who[] Everyone = Enum.GetValues<Who>();
    private static readonly Who[] Admins = [Who.AdminKey, Who.AdminUser];
    private static readonly Who[] Known = Everyone.Except([Who.Anonymous]).ToArray();
    private static readonly Who[] OwnerWriters = [.. Admins, Who.OwnerLead, Who.OwnerScientist, Who.OwnerOps, Who.OwnerKey];
    private static readonly Who[] OwnerReaders = [.. OwnerWriters, Who.Auditor];
    private static readonly Who[] OwnerManagers = [.. Admins, Who.OwnerLead];
    private static readonly Who[] AuditReaders = [.. Admins, Who.Auditor];

    /// <summary>Who may call each route. Framework plumbing (Blazor's circuit and static files) is listed as such and not probed.</summary>
    private static readonly Dictionary<string, Who[]?> Matrix = new()
    {
        // Health checks answer any method and anyone; ReadinessApiTests probes them.
        ["* /healthz"] = null,
        ["* /healthz/live"] = null,
        ["* /healthz/ready"] = null,
        ["GET /openapi/{documentName}.json"] = Everyone,
        ["POST /account/signin"] = Everyone,
        ["POST /account/signout"] = Everyone,
        ["GET /signin"] = Everyone,
        ["GET /"] = Known,
        // The model page needs a sign-in; whether its data loads is decided inside the page by the caller's teams
        // (another team's model renders "not allowed" without loading anything: see the bUnit and browser tests).
        ["GET /models/{ModelId}"] = Known,
        // Governance pages: signed-in users only; what each shows (and may change) is decided inside by the engine for
        // the caller (another team's model, or the audit log for a non-auditor, renders "not allowed" and reads nothing).
        ["GET /teams"] = Known,
        ["GET /ownership"] = Known,
        ["GET /registry"] = Known,
        ["GET /audit"] = Known,
        // Alerting pages: what each lists (and may change) is decided inside by the alerting commands for the caller.
        ["GET /alerts"] = Known,
        ["GET /silences"] = Known,
        ["GET /models/{ModelId}/ownership"] = Known,
        ["GET /models/{ModelId}/versions"] = Known,
        ["POST /api/v1/teams"] = Admins,
        ["GET /api/v1/teams"] = Known,
        ["POST /api/v1/teams/{id}/keys"] = OwnerManagers,
        ["DELETE /api/v1/keys/{keyId}"] = [.. OwnerManagers, Who.OwnerKey],
        ["POST /api/v1/models"] = OwnerWriters,
        ["GET /api/v1/models"] = Known,
        ["GET /api/v1/models/{id}"] = OwnerReaders,
        ["POST /api/v1/models/{id}/versions"] = OwnerWriters,
        ["GET /api/v1/models/{id}/versions"] = OwnerReaders,
        ["POST /api/v1/models/{id}/predictions"] = OwnerWriters,
        ["POST /api/v1/models/{id}/labels"] = OwnerWriters,
        ["POST /api/v1/models/{id}/metrics"] = OwnerWriters,
        ["POST /api/v1/models/{id}/versions/{version}/reference"] = OwnerWriters,
        ["GET /api/v1/models/{id}/summary"] = OwnerReaders,
        ["GET /api/v1/models/{id}/timeline"] = OwnerReaders,
        ["GET /api/v1/models/{id}/drift.csv"] = OwnerReaders,
        ["GET /api/v1/models/{id}/timeline.csv"] = OwnerReaders,
        ["GET /api/v1/models/{id}/report.html"] = OwnerReaders,
        ["POST /api/v1/drift/compare"] = Known,
        ["GET /api/v1/teams/{id}/members"] = [.. OwnerReaders],
        ["POST /api/v1/teams/{id}/members"] = OwnerManagers,
        ["DELETE /api/v1/teams/{id}/members/{username}"] = OwnerManagers,
        ["GET /api/v1/ownership"] = Known,
        ["GET /api/v1/models/{id}/ownership"] = OwnerReaders,
        ["PUT /api/v1/models/{id}/owner"] = OwnerManagers,
        ["GET /api/v1/models/{id}/aliases"] = OwnerReaders,
        ["PUT /api/v1/models/{id}/aliases/{alias}"] = OwnerWriters,
        ["POST /api/v1/models/{id}/aliases/{alias}/requests"] = OwnerWriters,
        ["GET /api/v1/alias-requests/{rid:long}"] = OwnerReaders,
        ["POST /api/v1/alias-requests/{rid:long}/approve"] = OwnerManagers,
        ["POST /api/v1/alias-requests/{rid:long}/reject"] = [.. OwnerManagers, Who.OwnerKey], // the key requested it: withdrawing is allowed
        ["POST /api/v1/models/{id}/versions/{version}/archive"] = OwnerWriters,
        ["POST /api/v1/models/{id}/versions/{version}/restore"] = OwnerWriters,
        ["GET /api/v1/models/{id}/drift-settings"] = OwnerReaders,
        ["PUT /api/v1/models/{id}/limits"] = OwnerWriters,
        ["PUT /api/v1/models/{id}/drift-settings"] = OwnerWriters,
        ["GET /api/v1/audit"] = AuditReaders,
        ["GET /api/v1/audit/verify"] = AuditReaders,
        ["GET /api/v1/audit/export"] = AuditReaders,
        ["GET /api/v1/models/{id}/evidence"] = OwnerReaders,
        ["POST /api/v1/alert-rules"] = OwnerManagers,
        ["GET /api/v1/alert-rules"] = Known,
        ["GET /api/v1/alert-rules/{id}"] = OwnerReaders,
        ["PUT /api/v1/alert-rules/{id}"] = OwnerManagers,
        ["DELETE /api/v1/alert-rules/{id}"] = OwnerManagers,
        ["POST /api/v1/alert-rules/preview"] = OwnerReaders,
        ["GET /api/v1/alerts"] = Known,
        ["GET /api/v1/alerts/{id:long}"] = OwnerReaders,
        ["POST /api/v1/alerts/{id:long}/ack"] = OwnerWriters,
        ["POST /api/v1/alerts/{id:long}/resolve"] = OwnerWriters,
        ["GET /api/v1/alerts/{id:long}/deliveries"] = OwnerReaders,
        ["GET /api/v1/teams/{id}/notifications"] = OwnerReaders,
        ["PUT /api/v1/teams/{id}/notifications"] = OwnerManagers,
        ["GET /api/v1/notifications"] = AuditReaders,
        ["PUT /api/v1/notifications"] = Admins,
        ["GET /api/v1/deliveries"] = Known,
        ["POST /api/v1/silences"] = OwnerWriters,
        ["GET /api/v1/silences"] = Known,
        // A silence made with the owner team's key: its team and its author may end it.
        ["DELETE /api/v1/silences/{id}"] = OwnerWriters,
        // The live hub's transport: authorised by [Authorize] on the hub; its method is probed separately below.
        ["* /hubs/live/negotiate"] = null,
        ["* /hubs/live"] = null,
        // Blazor: the circuit, framework files, the static-file fallback and the pages' own form posts (antiforgery first).
        ["* /_blazor/negotiate"] = null,
        ["* /_blazor"] = null,
        ["* /_blazor/disconnect/"] = null,
        ["* /_blazor/initializers/"] = null,
        ["GET /{**path:file}"] = null,
        ["HEAD /{**path:file}"] = null,
        ["POST /"] = null,
        ["POST /signin"] = null,
        ["POST /models/{ModelId}"] = null,
        ["POST /teams"] = null,
        ["POST /ownership"] = null,
        ["POST /registry"] = null,
        ["POST /audit"] = null,
        ["POST /alerts"] = null,
        ["POST /silences"] = null,
        ["POST /models/{ModelId}/ownership"] = null,
        ["POST /models/{ModelId}/versions"] = null,
        ["GET /not-found"] = null,
        ["POST /not-found"] = null,
    };

    private Scenario _owner = null!;
    private Scenario _other = null!;
    private readonly Dictionary<Who, (HttpClient Client, string? Actor)> _callers = [];

    [Fact]
    public async Task Every_route_allows_exactly_the_callers_in_the_matrix_and_refusals_are_audited()
    {
        var routes = Routes();
        var unlisted = routes.Where(r => !Matrix.ContainsKey(r)).ToList();
        Assert.True(unlisted.Count == 0, "Routes missing from the access matrix: " + string.Join(", ", unlisted));
        var stale = Matrix.Keys.Where(k => !routes.Contains(k)).ToList();
        Assert.True(stale.Count == 0, "Matrix rows for routes the app no longer maps: " + string.Join(", ", stale));

        await SetUpCallersAsync();
        var failures = new List<string>();
        // Signing out ends the callers' sessions, so it goes last.
        foreach (var route in routes.Where(r => Matrix[r] is not null).OrderBy(r => r == "POST /account/signout"))
        {
            var allowed = Matrix[route]!;
            foreach (var who in Everyone)
            {
                var (status, toSignIn, audited) = await ProbeAsync(route, who);
                // Another team's model answers 404, exactly like a missing one; the audit log still records the refusal.
                var refused = status is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden || toSignIn || (status == HttpStatusCode.NotFound && audited);
                if (allowed.Contains(who) == refused) failures.Add($"{route} as {who}: {(int)status}, expected {(allowed.Contains(who) ? "allowed" : "refused")}");
                if (refused && who != Who.Anonymous && !audited) failures.Add($"{route} as {who}: refused but not in the audit log");
            }
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public async Task The_hub_subscribes_only_to_models_the_caller_may_read_and_audits_the_refusal()
    {
        await SetUpCallersAsync();
        await using var own = Connect(_owner.Key);
        await using var other = Connect(_other.Key);
        await own.StartAsync();
        await other.StartAsync();

        await own.InvokeAsync("Subscribe", _owner.Model, "1h");
        var before = Denials($"key:{_other.KeyId}");
        await Assert.ThrowsAsync<HubException>(() => other.InvokeAsync("Subscribe", _owner.Model, "1h"));

        Assert.Equal(before + 1, Denials($"key:{_other.KeyId}"));
    }

    private HubConnection Connect(string key) => new HubConnectionBuilder()
        .WithUrl(new Uri(portal.Server.BaseAddress, "/hubs/live"), o =>
        {
            o.HttpMessageHandlerFactory = _ => portal.Server.CreateHandler();
            o.Transports = HttpTransportType.LongPolling;
            o.Headers["X-Api-Key"] = key;
        }).Build();

    private List<string> Routes()
    {
        portal.CreateClient().Dispose(); // starts the host
        var endpoints = portal.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>();
        var routes = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var e in endpoints)
        {
            var pattern = "/" + (e.RoutePattern.RawText ?? "").TrimStart('/');
            if (IsStaticFile(pattern)) continue;
            var methods = e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods;
            if (methods is null || methods.Count == 0) routes.Add("* " + pattern);
            else foreach (var m in methods) routes.Add($"{m} {pattern}");
        }
        return routes.ToList();
    }

    // MapStaticAssets maps one endpoint per file (css, js, favicon): public by design.
    private static bool IsStaticFile(string pattern) =>
        pattern.StartsWith("/_framework/", StringComparison.Ordinal) || pattern.StartsWith("/_content/", StringComparison.Ordinal) ||
        (System.IO.Path.HasExtension(pattern) && !pattern.Contains('{', StringComparison.Ordinal));

    private async Task SetUpCallersAsync()
    {
        var scenario = await Scenario.CreateAsync(portal);
        // Four-eyes compares persons: the owner key is made by an admin person of its own, so the requests it files
        // (acting for that person) may be decided by both the bootstrap admin key and the "admin" user.
        var (_, keyMaker) = await People.SignedInAsync(portal, Roles.Admin);
        var (ownerKeyId, ownerKey) = await keyMaker.CreateKeyAsync(scenario.Team, "owner");
        _owner = scenario with { KeyId = ownerKeyId, Key = ownerKey };
        _other = await Scenario.CreateAsync(portal);
        _callers[Who.Anonymous] = (portal.ClientWithKey(null), null);
        _callers[Who.AdminKey] = (portal.ClientWithKey(PortalFactory.AdminKey), null);
        _callers[Who.OwnerKey] = (portal.ClientWithKey(_owner.Key), $"key:{_owner.KeyId}");
        _callers[Who.OtherKey] = (portal.ClientWithKey(_other.Key), $"key:{_other.KeyId}");
        _callers[Who.AdminUser] = (await People.SignInAsync(portal, "admin", PortalFactory.AdminPassword), "user:admin");
        foreach (var (who, role, team, teamRole) in new[]
        {
            (Who.OwnerLead, Roles.DataScientist, _owner.Team, "lead"), (Who.OwnerScientist, Roles.DataScientist, _owner.Team, "member"),
            (Who.OwnerOps, Roles.OpsEngineer, _owner.Team, "member"), (Who.OtherScientist, Roles.DataScientist, _other.Team, "lead"),
            (Who.Auditor, Roles.Auditor, (string?)null, "member"),
        })
        {
            var (username, api) = team is null ? await People.SignedInAsync(portal, role) : await People.SignedInAsync(portal, role, (team, teamRole));
            _callers[who] = (api.Http, $"user:{username}");
        }
    }

    /// <summary>The status, whether it is a redirect to sign in (a page refusing an anonymous visitor), and whether a refusal was audited.</summary>
    private async Task<(HttpStatusCode Status, bool ToSignIn, bool Audited)> ProbeAsync(string route, Who who)
    {
        var (method, template) = (route.Split(' ')[0], route.Split(' ')[1]);
        var path = await PathAsync(template);
        var (client, actor) = _callers[who];
        var before = actor is null ? 0 : Denials(actor);
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (Body(template) is { } body) request.Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");
        using var response = await client.SendAsync(request);
        var toSignIn = response.StatusCode == HttpStatusCode.Redirect && response.Headers.Location?.ToString().Contains("returnurl=", StringComparison.OrdinalIgnoreCase) == true;
        return (response.StatusCode, toSignIn, actor is not null && Denials(actor) > before);
    }

    private long Denials(string actor) => portal.Scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'access.denied' AND actor = @actor", new { actor });

    /// <summary>Concrete paths; destructive routes get a fresh target per probe so every caller meets the same state.</summary>
    private async Task<string> PathAsync(string template)
    {
        using var admin = portal.Admin();
        var path = template
            .Replace("{documentName}", "v1", StringComparison.Ordinal)
            .Replace("{version}", "1.0.0", StringComparison.Ordinal)
            .Replace("{alias}", "staging", StringComparison.Ordinal);
        if (path.Contains("{keyId}", StringComparison.Ordinal)) path = path.Replace("{keyId}", (await admin.CreateKeyAsync(_owner.Team, "probe")).Id, StringComparison.Ordinal);
        if (path.Contains("{rid:long}", StringComparison.Ordinal))
        {
            using var key = portal.WithKey(_owner.Key);
            var request = await Expect(HttpStatusCode.Created, await key.PostAsync($"/api/v1/models/{_owner.Model}/aliases/production/requests", """{ "version": "1.0.0", "reason": "probe" }"""));
            path = path.Replace("{rid:long}", request.GetProperty("id").GetInt64().ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
        }
        if (path.Contains("{username}", StringComparison.Ordinal))
        {
            var username = Scenario.NewId("probe");
            Assert.True(portal.Services.GetRequiredService<UserStore>().Create(username, username, Roles.OpsEngineer, People.Password, [new TeamMembership(_owner.Team, "member")]).IsOk);
            path = path.Replace("{username}", username, StringComparison.Ordinal);
        }
        if (path.StartsWith("/api/v1/alert-rules/{id}", StringComparison.Ordinal))
            path = path.Replace("{id}", (await Expect(HttpStatusCode.Created, await admin.PostAsync("/api/v1/alert-rules", AlertRule))).GetProperty("id").GetString(), StringComparison.Ordinal);
        if (path.Contains("{id:long}", StringComparison.Ordinal))
            path = path.Replace("{id:long}", (await FreshAlertAsync(admin)).ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
        if (path.StartsWith("/api/v1/silences/{id}", StringComparison.Ordinal))
        {
            using var key = portal.WithKey(_owner.Key);
            path = path.Replace("{id}", (await Expect(HttpStatusCode.Created, await key.PostAsync("/api/v1/silences", Silence))).GetProperty("id").GetString(), StringComparison.Ordinal);
        }
        return path.Replace("{id}", path.StartsWith("/api/v1/teams/", StringComparison.Ordinal) ? _owner.Team : _owner.Model, StringComparison.Ordinal);
    }

    private string AlertRule => $$"""{ "name": "probe", "model": "{{_owner.Model}}", "signal": "errorRate", "condition": { "type": "threshold", "op": ">", "value": 0.5 } }""";

    private string Silence => $$"""{ "matchers": [ { "label": "model", "op": "=", "value": "{{_owner.Model}}" } ], "endsAt": "{{DateTimeOffset.UtcNow.AddHours(1):O}}", "comment": "probe" }""";

    /// <summary>A rule of its own that always holds (0 or more predictions), evaluated once: a firing alert on the owner's model nobody has touched.</summary>
    private async Task<long> FreshAlertAsync(PortalApi admin)
    {
        var rule = await Expect(HttpStatusCode.Created, await admin.PostAsync("/api/v1/alert-rules", $$"""
            { "name": "{{Scenario.NewId("probe")}}", "model": "{{_owner.Model}}", "signal": "throughput", "metric": "predictions", "window": "5m",
              "condition": { "type": "threshold", "op": ">=", "value": 0 } }
            """));
        var ruleId = rule.GetProperty("id").GetString();
        portal.Services.GetRequiredService<ModelWatch.Engine.Alerting.AlertEvaluator>().Evaluate();
        return portal.Scalar("SELECT id FROM alerts WHERE rule_id = @ruleId AND status = 'firing'", new { ruleId });
    }

    private string? Body(string template) => template switch
    {
        "/api/v1/alert-rules" or "/api/v1/alert-rules/{id}" or "/api/v1/alert-rules/preview" => AlertRule,
        "/api/v1/alerts/{id:long}/ack" or "/api/v1/alerts/{id:long}/resolve" => """{ "comment": "probe" }""",
        "/api/v1/teams/{id}/notifications" or "/api/v1/notifications" => """{ "receivers": [ { "name": "portal", "type": "builtin" } ] }""",
        "/api/v1/silences" => Silence,
        "/api/v1/teams" => $$"""{ "id": "{{Scenario.NewId("team")}}", "name": "Probe" }""",
        "/api/v1/teams/{id}/keys" => """{ "name": "probe" }""",
        "/api/v1/models" => $$"""{ "id": "{{Scenario.NewId("model")}}", "name": "Probe", "task": "regression", "team": "{{_owner.Team}}", "features": [ { "name": "x", "type": "numerical" } ] }""",
        "/api/v1/models/{id}/versions" => $$"""{ "version": "{{Guid.NewGuid():N}}" }""",
        "/api/v1/models/{id}/predictions" => Batch(Prediction(Guid.NewGuid().ToString("N"))),
        "/api/v1/models/{id}/labels" => """{ "labels": [ { "predictionId": "nope", "label": 1, "timestamp": "2026-11-23T12:00:00Z" } ] }""",
        "/api/v1/models/{id}/metrics" => """{ "samples": [ { "timestamp": "2026-11-23T12:00:00Z", "cpuPercent": 41, "memoryMb": 812, "gpuPercent": 0, "errors": 0 } ] }""",
        "/api/v1/models/{id}/versions/{version}/reference" => """{ "rows": [ { "features": { "amount": 1, "country": "DE" }, "prediction": 0.2, "label": 0 } ] }""",
        "/api/v1/drift/compare" => """{ "reference": [1, 2, 3], "current": [2, 3, 4] }""",
        "/api/v1/teams/{id}/members" => """{ "username": "admin", "role": "member" }""",
        "/api/v1/models/{id}/owner" => $$"""{ "team": "{{_owner.Team}}", "reason": "probe", "onCall": "pager:probe" }""",
        "/api/v1/models/{id}/limits" => """{ "monthlyBudgetUsd": 750, "reason": "probe" }""",
        "/api/v1/models/{id}/drift-settings" => """{ "settings": { "datasetDriftShare": 0.5 }, "reason": "probe" }""",
        "/api/v1/models/{id}/aliases/{alias}" or "/api/v1/models/{id}/aliases/{alias}/requests" => """{ "version": "1.0.0", "reason": "probe" }""",
        "/api/v1/alias-requests/{rid:long}/approve" or "/api/v1/alias-requests/{rid:long}/reject" => """{ "reason": "probe" }""",
        "/api/v1/models/{id}/versions/{version}/archive" or "/api/v1/models/{id}/versions/{version}/restore" => """{ "reason": "probe" }""",
        _ => null,
    };
}
