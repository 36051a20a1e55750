using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using ModelWatch.Engine.Access;
using ModelWatch.Engine.Alerting;
using ModelWatch.Portal.Tests.Governance;
using ModelWatch.Portal.Tests.TestSupport;
using static ModelWatch.Portal.Tests.Alerting.AlertingSteps;
using static ModelWatch.Portal.Tests.TestSupport.PortalApi;

namespace ModelWatch.Portal.Tests.Alerting;

/// <summary>The portal with a public address of its own, so that links in notifications can be checked.</summary>
public sealed class AlertingPortal() : PortalFactory(new Dictionary<string, string?> { ["Portal:PublicUrl"] = PublicUrl })
{
    public const string PublicUrl = "https://modelwatch.example.com";
}

public sealed partial class AlertsApiTests(AlertingPortal portal) : IClassFixture<AlertingPortal>
{
    [Fact]
    public async Task A_firing_alert_reaches_the_teams_webhook_as_an_Alertmanager_v4_payload_and_is_listed_and_acknowledged()
    {
        await using var hook = await WebhookReceiver.StartAsync();
        var s = await Scenario.CreateAsync(portal);
        var (username, lead) = await People.SignedInAsync(portal, Roles.OpsEngineer, (s.Team, "lead"));
        await Expect(HttpStatusCode.OK, await PutAsync(lead, $"/api/v1/teams/{s.Team}/notifications", $$"""
            { "receivers": [ { "name": "ops-hook", "type": "webhook", "url": "{{hook.Url}}" } ],
              "groupBy": ["model", "rule"], "groupWaitSeconds": 0, "groupIntervalSeconds": 1, "repeatIntervalSeconds": 3600 }
            """));
        await Expect(HttpStatusCode.OK, await PutAsync(lead, $"/api/v1/models/{s.Model}/owner",
            $$"""{ "team": "{{s.Team}}", "reason": "on-call rota", "onCall": "pager:ops-primary" }"""));
        await Expect(HttpStatusCode.Created, await lead.PostAsync("/api/v1/alert-rules", LatencyRule(s.Model)));
        using var key = portal.WithKey(s.Key);
        await SendAsync(key, s.Model, 10, latencyMs: 500);

        await UntilAsync(portal, () => Task.FromResult(!hook.Bodies.IsEmpty), "the webhook to be called");

        var body = Assert.Single(hook.Bodies);
        Assert.Equal("4", body.GetProperty("version").GetString());
        Assert.Equal("firing", body.GetProperty("status").GetString());
        Assert.Equal("ops-hook", body.GetProperty("receiver").GetString());
        Assert.Equal(0, body.GetProperty("truncatedAlerts").GetInt32());
        Assert.Equal($"{{}}/{{team=\"{s.Team}\"}}:{{alertname=\"p95 over SLO\", model=\"{s.Model}\"}}", body.GetProperty("groupKey").GetString());
        Assert.Equal(s.Model, body.GetProperty("groupLabels").GetProperty("model").GetString());
        Assert.Equal("p95 over SLO", body.GetProperty("groupLabels").GetProperty("alertname").GetString());
        Assert.Equal($"{AlertingPortal.PublicUrl}/alerts", body.GetProperty("externalURL").GetString());
        var common = body.GetProperty("commonLabels");
        foreach (var (label, value) in new[] { ("alertname", "p95 over SLO"), ("model", s.Model), ("team", s.Team), ("severity", "critical"), ("signal", "latency"), ("service", "payments") })
            Assert.Equal(value, common.GetProperty(label).GetString());
        Assert.Equal("https://runbooks.example.com/latency", body.GetProperty("commonAnnotations").GetProperty("runbook_url").GetString());

        var alert = Assert.Single(body.GetProperty("alerts").EnumerateArray());
        Assert.Equal("firing", alert.GetProperty("status").GetString());
        Assert.Equal("pager:ops-primary", alert.GetProperty("annotations").GetProperty("on_call").GetString());
        Assert.Matches(@"^p95 [0-9.]+ ms over > 100$", alert.GetProperty("annotations").GetProperty("summary").GetString()!); // {{value}} and {{threshold}} filled in
        Assert.Equal(WebhookPayload.ZeroTime, alert.GetProperty("endsAt").GetString());
        Assert.True(DateTimeOffset.UtcNow - alert.GetProperty("startsAt").GetDateTimeOffset() < TimeSpan.FromMinutes(1));
        Assert.StartsWith($"{AlertingPortal.PublicUrl}/models/{s.Model}?", alert.GetProperty("generatorURL").GetString());
        var labels = alert.GetProperty("labels").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!);
        Assert.Equal(AlertLabels.Fingerprint(labels), alert.GetProperty("fingerprint").GetString());
        Assert.Matches(Hex16(), alert.GetProperty("fingerprint").GetString()!);

        // The inbox lists it with its numbers, and its delivery log shows the webhook's answer.
        var listed = Assert.Single(await FiringAsync(lead, s.Model));
        var id = listed.GetProperty("id").GetInt64();
        Assert.Equal(s.Team, listed.GetProperty("team").GetString());
        Assert.Equal("> 100", listed.GetProperty("threshold").GetString());
        Assert.True(listed.GetProperty("value").GetDouble() > 400);
        Assert.Empty(listed.GetProperty("silencedBy").EnumerateArray());
        var log = Assert.Single((await Expect(HttpStatusCode.OK, await lead.GetAsync($"/api/v1/alerts/{id}/deliveries"))).EnumerateArray());
        Assert.Equal("sent", log.GetProperty("status").GetString());
        Assert.StartsWith("HTTP 200", Assert.Single(log.GetProperty("attemptLog").EnumerateArray()).GetProperty("answer").GetString());

        var acked = await Expect(HttpStatusCode.OK, await lead.PostAsync($"/api/v1/alerts/{id}/ack", """{ "comment": "rolling back the deploy" }"""));
        Assert.Equal($"user:{username}", acked.GetProperty("acknowledgedBy").GetString());
        Assert.Equal("rolling back the deploy", acked.GetProperty("ackComment").GetString());
        await ExpectProblem(HttpStatusCode.Conflict, await lead.PostAsync($"/api/v1/alerts/{id}/ack", """{ "comment": "again" }"""));
        Assert.Equal(1, portal.Scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'alert.acknowledged' AND subject_model = @model", new { model = s.Model }));
        Assert.True(portal.Scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'alert.notification-sent' AND subject_team = @team", new { team = s.Team }) >= 1);
    }

    [Fact]
    public async Task Other_teams_neither_see_nor_act_on_an_alert_and_bad_filters_are_refused()
    {
        var s = await Scenario.CreateAsync(portal);
        var other = await Scenario.CreateAsync(portal);
        var id = await FiringAlertAsync(s);
        var (_, outsider) = await People.SignedInAsync(portal, Roles.OpsEngineer, (other.Team, "lead"));
        var (_, auditor) = await People.SignedInAsync(portal, Roles.Auditor);

        await ExpectProblem(HttpStatusCode.NotFound, await outsider.GetAsync($"/api/v1/alerts/{id}"));
        await ExpectProblem(HttpStatusCode.NotFound, await outsider.PostAsync($"/api/v1/alerts/{id}/ack", """{ "comment": "not mine" }"""));
        await ExpectProblem(HttpStatusCode.NotFound, await outsider.GetAsync($"/api/v1/alerts/{id}/deliveries"));
        await ExpectProblem(HttpStatusCode.NotFound, await outsider.GetAsync($"/api/v1/alerts?model={s.Model}"));
        await ExpectProblem(HttpStatusCode.Forbidden, await outsider.GetAsync($"/api/v1/alerts?team={s.Team}"));
        var theirs = await Expect(HttpStatusCode.OK, await outsider.GetAsync("/api/v1/alerts"));
        Assert.DoesNotContain(theirs.EnumerateArray(), a => a.GetProperty("id").GetInt64() == id);

        await Expect(HttpStatusCode.OK, await auditor.GetAsync($"/api/v1/alerts/{id}"));
        await ExpectProblem(HttpStatusCode.Forbidden, await auditor.PostAsync($"/api/v1/alerts/{id}/ack", """{ "comment": "read only" }"""));
        await ExpectProblem(HttpStatusCode.NotFound, await auditor.GetAsync("/api/v1/alerts/999999999"));
        var bad = await ExpectProblem(HttpStatusCode.BadRequest, await auditor.GetAsync("/api/v1/alerts?state=burning"));
        Assert.Contains(Errors(bad), e => e.Field == "state");
        Assert.Equal(0, portal.Scalar("SELECT COUNT(*) FROM alerts WHERE id = @id AND acked_by IS NOT NULL", new { id }));
    }

    [Fact]
    public async Task A_member_resolves_an_alert_by_hand_with_a_comment_and_the_state_filter_finds_it()
    {
        var s = await Scenario.CreateAsync(portal);
        var id = await FiringAlertAsync(s);
        using var key = portal.WithKey(s.Key);

        var resolved = await Expect(HttpStatusCode.OK, await key.PostAsync($"/api/v1/alerts/{id}/resolve", """{ "comment": "false alarm: load test" }"""));
        Assert.Equal("resolved", resolved.GetProperty("state").GetString());
        Assert.Equal("false alarm: load test", resolved.GetProperty("resolveComment").GetString());
        var list = await Expect(HttpStatusCode.OK, await key.GetAsync($"/api/v1/alerts?state=resolved&model={s.Model}"));
        Assert.Contains(list.EnumerateArray(), a => a.GetProperty("id").GetInt64() == id);
        Assert.Empty(await FiringAsync(key, s.Model));
    }

    [Fact]
    public async Task A_silence_marks_matching_alerts_until_it_is_expired_and_only_its_team_may_expire_it()
    {
        var s = await Scenario.CreateAsync(portal);
        var other = await Scenario.CreateAsync(portal);
        var id = await FiringAlertAsync(s);
        var (_, member) = await People.SignedInAsync(portal, Roles.DataScientist, (s.Team, "member"));
        var (_, outsider) = await People.SignedInAsync(portal, Roles.DataScientist, (other.Team, "lead"));
        var silenceBody = $$"""
            { "matchers": [ { "label": "model", "op": "=", "value": "{{s.Model}}" }, { "label": "severity", "op": "=~", "value": "crit.*" } ],
              "endsAt": "{{DateTimeOffset.UtcNow.AddHours(2):O}}", "comment": "planned maintenance" }
            """;

        await ExpectProblem(HttpStatusCode.Forbidden, await outsider.PostAsync("/api/v1/silences", silenceBody));
        var silence = await Expect(HttpStatusCode.Created, await member.PostAsync("/api/v1/silences", silenceBody));
        var silenceId = silence.GetProperty("id").GetString()!;
        Assert.Equal("active", silence.GetProperty("status").GetString());
        Assert.Equal(s.Team, silence.GetProperty("team").GetString());

        var alert = await Expect(HttpStatusCode.OK, await member.GetAsync($"/api/v1/alerts/{id}"));
        Assert.Equal(silenceId, Assert.Single(alert.GetProperty("silencedBy").EnumerateArray()).GetString());
        Assert.Contains((await Expect(HttpStatusCode.OK, await member.GetAsync("/api/v1/silences"))).EnumerateArray(), x => x.GetProperty("id").GetString() == silenceId);
        Assert.DoesNotContain((await Expect(HttpStatusCode.OK, await outsider.GetAsync("/api/v1/silences"))).EnumerateArray(), x => x.GetProperty("id").GetString() == silenceId);

        await ExpectProblem(HttpStatusCode.NotFound, await outsider.DeleteAsync($"/api/v1/silences/{silenceId}"));
        await Expect(HttpStatusCode.NoContent, await member.DeleteAsync($"/api/v1/silences/{silenceId}"));
        await ExpectProblem(HttpStatusCode.Conflict, await member.DeleteAsync($"/api/v1/silences/{silenceId}"));
        await ExpectProblem(HttpStatusCode.NotFound, await member.DeleteAsync("/api/v1/silences/sil_nope"));
        alert = await Expect(HttpStatusCode.OK, await member.GetAsync($"/api/v1/alerts/{id}"));
        Assert.Empty(alert.GetProperty("silencedBy").EnumerateArray());
        foreach (var action in new[] { "silence.added", "silence.expired" })
            Assert.Equal(1, portal.Scalar("SELECT COUNT(*) FROM audit_log WHERE action = @action AND subject_team = @team", new { action, team = s.Team }));
    }

    [Fact]
    public async Task A_silence_without_an_end_or_comment_is_refused_naming_the_fields()
    {
        using var admin = portal.Admin();
        var problem = await ExpectProblem(HttpStatusCode.BadRequest, await admin.PostAsync("/api/v1/silences", """{ "matchers": [ { "label": "model", "op": "~", "value": "x" } ] }"""));
        var fields = Errors(problem).Select(e => e.Field).ToList();
        Assert.Contains("matchers[0].op", fields);
        Assert.Contains("endsAt", fields);
        Assert.Contains("comment", fields);
    }

    [Fact]
    public async Task Notification_settings_are_changed_by_leads_and_admins_and_bad_receivers_are_refused()
    {
        var s = await Scenario.CreateAsync(portal);
        var (_, member) = await People.SignedInAsync(portal, Roles.OpsEngineer, (s.Team, "member"));
        var (_, lead) = await People.SignedInAsync(portal, Roles.OpsEngineer, (s.Team, "lead"));
        var path = $"/api/v1/teams/{s.Team}/notifications";
        var settings = """{ "receivers": [ { "name": "ops-mail", "type": "email", "to": ["oncall@example.com"] } ], "escalateAfterMinutes": 30 }""";

        var inherited = await Expect(HttpStatusCode.OK, await member.GetAsync(path));
        Assert.True(inherited.GetProperty("isDefault").GetBoolean());
        await ExpectProblem(HttpStatusCode.Forbidden, await PutAsync(member, path, settings));
        var bad = await ExpectProblem(HttpStatusCode.BadRequest, await PutAsync(lead, path,
            """{ "receivers": [ { "name": "hook", "type": "webhook", "url": "ftp://nope" }, { "name": "x", "type": "pager" } ], "repeatIntervalSeconds": 1 }"""));
        Assert.Equal(["receivers[0].url", "receivers[1].type", "repeatIntervalSeconds"], Errors(bad).Select(e => e.Field).ToArray());
        Assert.True((await Expect(HttpStatusCode.OK, await member.GetAsync(path))).GetProperty("isDefault").GetBoolean());

        var saved = await Expect(HttpStatusCode.OK, await PutAsync(lead, path, settings));
        Assert.False(saved.GetProperty("isDefault").GetBoolean());
        Assert.Equal(30, saved.GetProperty("settings").GetProperty("escalateAfterMinutes").GetInt32());
        Assert.Equal(["model", "alertname"], saved.GetProperty("settings").GetProperty("groupBy").EnumerateArray().Select(g => g.GetString()!).ToArray());
        var read = await Expect(HttpStatusCode.OK, await member.GetAsync(path));
        Assert.Equal("oncall@example.com", read.GetProperty("settings").GetProperty("receivers")[0].GetProperty("to")[0].GetString());

        await ExpectProblem(HttpStatusCode.Forbidden, await PutAsync(lead, "/api/v1/notifications", settings));
        await ExpectProblem(HttpStatusCode.Forbidden, await lead.GetAsync("/api/v1/notifications"));
        using var admin = portal.Admin();
        await ExpectProblem(HttpStatusCode.NotFound, await PutAsync(admin, "/api/v1/teams/no-such-team/notifications", settings));
    }

    [Fact]
    public async Task Without_team_settings_alerts_go_to_the_admins_default_builtin_receiver_whose_deliveries_the_team_can_list()
    {
        var s = await Scenario.CreateAsync(portal);
        using var admin = portal.Admin();
        await Expect(HttpStatusCode.OK, await PutAsync(admin, "/api/v1/notifications",
            """{ "receivers": [ { "name": "portal", "type": "builtin" } ], "groupWaitSeconds": 0, "groupIntervalSeconds": 1 }"""));
        var defaults = await Expect(HttpStatusCode.OK, await admin.GetAsync("/api/v1/notifications"));
        Assert.Equal("builtin", defaults.GetProperty("settings").GetProperty("receivers")[0].GetProperty("type").GetString());
        var id = await FiringAlertAsync(s);
        using var key = portal.WithKey(s.Key);

        JsonElement? delivery = null;
        await UntilAsync(portal, async () =>
        {
            var list = await Expect(HttpStatusCode.OK, await key.GetAsync("/api/v1/deliveries?kind=builtin"));
            delivery = list.EnumerateArray().Cast<JsonElement?>().FirstOrDefault(d => d!.Value.GetProperty("alerts").EnumerateArray().Any(a => a.GetInt64() == id));
            return delivery is not null;
        }, "the built-in receiver to keep the notification");

        Assert.Equal("sent", delivery!.Value.GetProperty("status").GetString());
        Assert.Equal("*", delivery.Value.GetProperty("scope").GetString());
        Assert.Equal("4", delivery.Value.GetProperty("payload").GetProperty("version").GetString());
        var other = await Scenario.CreateAsync(portal);
        using var otherKey = portal.WithKey(other.Key);
        var theirs = await Expect(HttpStatusCode.OK, await otherKey.GetAsync("/api/v1/deliveries"));
        Assert.DoesNotContain(theirs.EnumerateArray(), d => d.GetProperty("id").GetInt64() == delivery.Value.GetProperty("id").GetInt64());
        await ExpectProblem(HttpStatusCode.BadRequest, await key.GetAsync("/api/v1/deliveries?kind=pigeon"));
    }

    /// <summary>A latency rule on the scenario's model (by an admin) and slow traffic until it fires; returns the alert id.</summary>
    private async Task<long> FiringAlertAsync(Scenario s)
    {
        using var admin = portal.Admin();
        await Expect(HttpStatusCode.Created, await admin.PostAsync("/api/v1/alert-rules", LatencyRule(s.Model)));
        using var key = portal.WithKey(s.Key);
        await SendAsync(key, s.Model, 10, latencyMs: 500);
        long id = 0;
        await UntilAsync(portal, async () =>
        {
            var firing = await FiringAsync(key, s.Model);
            if (firing.Length > 0) id = firing[0].GetProperty("id").GetInt64();
            return firing.Length > 0;
        }, "the alert to fire");
        return id;
    }

    [GeneratedRegex("^[0-9a-f]{16}$")]
    private static partial Regex Hex16();
}
