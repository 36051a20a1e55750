using System.Net;
using System.Text.Json;
using ModelWatch.Engine.Access;
using ModelWatch.Portal.Tests.Governance;
using ModelWatch.Portal.Tests.TestSupport;
using static ModelWatch.Portal.Tests.Alerting.AlertingSteps;
using static ModelWatch.Portal.Tests.TestSupport.PortalApi;

namespace ModelWatch.Portal.Tests.Alerting;

public sealed class AlertRulesApiTests(PortalFactory portal) : IClassFixture<PortalFactory>
{
    private const string Rules = "/api/v1/alert-rules";

    [Fact]
    public async Task A_team_lead_creates_reads_changes_and_deletes_a_rule_and_each_step_is_audited()
    {
        var s = await Scenario.CreateAsync(portal);
        var (_, lead) = await People.SignedInAsync(portal, Roles.OpsEngineer, (s.Team, "lead"));

        var created = await Expect(HttpStatusCode.Created, await lead.PostAsync(Rules, LatencyRule(s.Model)));
        var id = created.GetProperty("id").GetString()!;
        Assert.StartsWith("rule_", id);
        Assert.Equal(s.Model, created.GetProperty("model").GetString());
        Assert.Equal("> 100", created.GetProperty("threshold").GetString());
        Assert.Equal(3, created.GetProperty("minSamples").GetInt32());

        var read = await Expect(HttpStatusCode.OK, await lead.GetAsync($"{Rules}/{id}"));
        Assert.Equal("p95 over SLO", read.GetProperty("name").GetString());
        var listed = await Expect(HttpStatusCode.OK, await lead.GetAsync($"{Rules}?model={s.Model}"));
        Assert.Contains(listed.EnumerateArray(), r => r.GetProperty("id").GetString() == id);

        var changed = await Expect(HttpStatusCode.OK, await PutAsync(lead, $"{Rules}/{id}", LatencyRule(s.Model, threshold: 250)));
        Assert.Equal("> 250", changed.GetProperty("threshold").GetString());

        await Expect(HttpStatusCode.NoContent, await lead.DeleteAsync($"{Rules}/{id}"));
        await ExpectProblem(HttpStatusCode.NotFound, await lead.GetAsync($"{Rules}/{id}"));

        foreach (var action in new[] { "alert-rule.created", "alert-rule.changed", "alert-rule.deleted" })
            Assert.Equal(1, portal.Scalar("SELECT COUNT(*) FROM audit_log WHERE action = @action AND subject_model = @model", new { action, model = s.Model }));
    }

    [Fact]
    public async Task Defaults_are_filled_in_and_a_team_rule_is_listed_for_each_of_its_models()
    {
        var s = await Scenario.CreateAsync(portal);
        using var admin = portal.Admin();
        var rule = await Expect(HttpStatusCode.Created, await admin.PostAsync(Rules, $$"""
            { "name": "drift anywhere", "team": "{{s.Team}}", "signal": "featureDrift", "condition": { "type": "threshold", "op": ">", "value": 0.2 } }
            """));
        Assert.Equal("value", rule.GetProperty("metric").GetString());
        Assert.Equal("1h", rule.GetProperty("window").GetString());
        Assert.Equal(100, rule.GetProperty("minSamples").GetInt32());
        Assert.Equal("warning", rule.GetProperty("severity").GetString());
        Assert.Equal("0s", rule.GetProperty("for").GetString());

        var forModel = await Expect(HttpStatusCode.OK, await admin.GetAsync($"{Rules}?model={s.Model}"));
        Assert.Contains(forModel.EnumerateArray(), r => r.GetProperty("id").GetString() == rule.GetProperty("id").GetString());
        var forTeam = await Expect(HttpStatusCode.OK, await admin.GetAsync($"{Rules}?team={s.Team}"));
        Assert.Single(forTeam.EnumerateArray());
    }

    [Theory]
    [InlineData("""{ "name": "x", "model": "{model}", "signal": "vibes", "condition": { "type": "threshold", "op": ">", "value": 1 } }""", "signal")]
    [InlineData("""{ "name": "x", "model": "{model}", "signal": "latency", "metric": "p42", "condition": { "type": "threshold", "op": ">", "value": 1 } }""", "metric")]
    [InlineData("""{ "name": "x", "model": "{model}", "signal": "featureDrift", "feature": "height", "condition": { "type": "threshold", "op": ">", "value": 0.1 } }""", "feature")]
    [InlineData("""{ "name": "x", "model": "{model}", "signal": "latency", "for": "5 minutes", "condition": { "type": "threshold", "op": ">", "value": 1 } }""", "for")]
    [InlineData("""{ "name": "x", "model": "{model}", "signal": "latency", "keepFiringFor": "-1m", "condition": { "type": "threshold", "op": ">", "value": 1 } }""", "keepFiringFor")]
    [InlineData("""{ "name": "x", "model": "{model}", "signal": "latency", "condition": { "type": "threshold", "op": ">", "value": "eighty" } }""", "condition.value")]
    [InlineData("""{ "name": "x", "model": "{model}", "signal": "latency", "window": "3w", "condition": { "type": "threshold", "op": ">", "value": 1 } }""", "window")]
    [InlineData("""{ "name": "x", "model": "no-such-model", "signal": "latency", "condition": { "type": "threshold", "op": ">", "value": 1 } }""", "model")]
    public async Task A_bad_rule_is_refused_with_a_problem_naming_the_field(string template, string field)
    {
        var s = await Scenario.CreateAsync(portal);
        using var admin = portal.Admin();
        var problem = await ExpectProblem(HttpStatusCode.BadRequest, await admin.PostAsync(Rules, template.Replace("{model}", s.Model)));
        Assert.Contains(Errors(problem), e => e.Field == field);
        Assert.Equal(0, portal.Scalar("SELECT COUNT(*) FROM alert_rules WHERE model_id = @model", new { model = s.Model }));
    }

    [Fact]
    public async Task A_threshold_of_the_wrong_type_says_what_it_got()
    {
        var s = await Scenario.CreateAsync(portal);
        using var admin = portal.Admin();
        var problem = await ExpectProblem(HttpStatusCode.BadRequest, await admin.PostAsync(Rules,
            $$"""{ "name": "x", "model": "{{s.Model}}", "signal": "latency", "condition": { "type": "threshold", "op": ">", "value": true } }"""));
        Assert.Contains("boolean", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Members_keys_auditors_and_other_teams_may_not_manage_rules_and_other_teams_do_not_see_them()
    {
        var s = await Scenario.CreateAsync(portal);
        var other = await Scenario.CreateAsync(portal);
        var (_, member) = await People.SignedInAsync(portal, Roles.DataScientist, (s.Team, "member"));
        var (_, otherLead) = await People.SignedInAsync(portal, Roles.DataScientist, (other.Team, "lead"));
        var (_, auditor) = await People.SignedInAsync(portal, Roles.Auditor);
        using var key = portal.WithKey(s.Key);
        using var admin = portal.Admin();

        foreach (var refused in new[] { member, auditor, key })
            await ExpectProblem(HttpStatusCode.Forbidden, await refused.PostAsync(Rules, LatencyRule(s.Model)));
        await ExpectProblem(HttpStatusCode.NotFound, await otherLead.PostAsync(Rules, LatencyRule(s.Model))); // another team's model is not shown to exist

        var id = (await Expect(HttpStatusCode.Created, await admin.PostAsync(Rules, LatencyRule(s.Model)))).GetProperty("id").GetString()!;
        await Expect(HttpStatusCode.OK, await member.GetAsync($"{Rules}/{id}"));
        await Expect(HttpStatusCode.OK, await auditor.GetAsync($"{Rules}/{id}"));
        await ExpectProblem(HttpStatusCode.NotFound, await otherLead.GetAsync($"{Rules}/{id}"));
        await ExpectProblem(HttpStatusCode.NotFound, await PutAsync(otherLead, $"{Rules}/{id}", LatencyRule(s.Model, 1)));
        await ExpectProblem(HttpStatusCode.Forbidden, await PutAsync(member, $"{Rules}/{id}", LatencyRule(s.Model, 1)));
        await ExpectProblem(HttpStatusCode.NotFound, await otherLead.DeleteAsync($"{Rules}/{id}"));
        await ExpectProblem(HttpStatusCode.NotFound, await otherLead.GetAsync($"{Rules}?model={s.Model}"));
        var theirs = await Expect(HttpStatusCode.OK, await otherLead.GetAsync(Rules));
        Assert.DoesNotContain(theirs.EnumerateArray(), r => r.GetProperty("id").GetString() == id);
        // A lead may not move a rule onto another team's model either.
        var (_, lead) = await People.SignedInAsync(portal, Roles.OpsEngineer, (s.Team, "lead"));
        await ExpectProblem(HttpStatusCode.NotFound, await PutAsync(lead, $"{Rules}/{id}", LatencyRule(other.Model)));
        var unchanged = await Expect(HttpStatusCode.OK, await admin.GetAsync($"{Rules}/{id}"));
        Assert.Equal(s.Model, unchanged.GetProperty("model").GetString());
    }

    [Fact]
    public async Task A_preview_on_stored_history_answers_the_span_in_which_the_rule_would_have_fired_with_its_series()
    {
        var s = await Scenario.CreateAsync(portal);
        using var key = portal.WithKey(s.Key);
        var now = DateTimeOffset.UtcNow;
        var minute = new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, now.Minute, 0, TimeSpan.Zero);
        // Forty minutes of history: ten slow minutes (50 to 41 minutes ago) among fast ones.
        for (var m = 50; m >= 11; m--)
            await SendAsync(key, s.Model, 10, m is <= 50 and >= 41 ? 500 : 10, minute.AddMinutes(-m).AddSeconds(20));

        var (_, member) = await People.SignedInAsync(portal, Roles.OpsEngineer, (s.Team, "member"));
        var body = $$"""
            { "model": "{{s.Model}}", "signal": "latency", "metric": "p95", "window": "5m",
              "condition": { "type": "threshold", "op": ">", "value": 100 }, "minSamples": 5,
              "from": "{{now.AddMinutes(-59):O}}" }
            """;
        var preview = await Expect(HttpStatusCode.OK, await member.PostAsync($"{Rules}/preview", body));

        Assert.Equal(60, preview.GetProperty("stepSeconds").GetInt32());
        Assert.Equal(1, preview.GetProperty("firingSpans").GetInt32());
        var series = Assert.Single(preview.GetProperty("series").EnumerateArray());
        var span = Assert.Single(series.GetProperty("firing").EnumerateArray());
        var startsAt = span.GetProperty("startsAt").GetDateTimeOffset();
        var endsAt = span.GetProperty("endsAt").GetDateTimeOffset();
        // A step's numbers are known when it ends: the first slow minute (50 minutes ago) ends 49 minutes ago, the first fast one after it 39 minutes ago.
        Assert.Equal(minute.AddMinutes(-49), startsAt);
        Assert.Equal(minute.AddMinutes(-39), endsAt);
        var points = series.GetProperty("points").EnumerateArray().ToList();
        Assert.Contains(points, p => p.GetProperty("value").ValueKind == JsonValueKind.Number && p.GetProperty("value").GetDouble() > 400);
        Assert.Contains(points, p => p.GetProperty("state").GetString() == "firing");
        Assert.Contains(points, p => p.GetProperty("state").GetString() == "normal");
        // Nothing was saved.
        Assert.Equal(0, portal.Scalar("SELECT COUNT(*) FROM alert_rules WHERE model_id = @model", new { model = s.Model }));
    }

    [Fact]
    public async Task A_preview_covers_the_last_seven_days_by_default_and_refuses_what_it_cannot_try()
    {
        var s = await Scenario.CreateAsync(portal);
        var other = await Scenario.CreateAsync(portal);
        using var key = portal.WithKey(s.Key);
        var rule = $$"""{ "model": "{{s.Model}}", "signal": "errorRate", "condition": { "type": "threshold", "op": ">", "value": 0.05 } """;

        var preview = await Expect(HttpStatusCode.OK, await key.PostAsync($"{Rules}/preview", rule + "}"));
        var span = preview.GetProperty("to").GetDateTimeOffset() - preview.GetProperty("from").GetDateTimeOffset();
        Assert.Equal(TimeSpan.FromDays(7), span);
        Assert.Equal(0, preview.GetProperty("firingSpans").GetInt32());

        var old = await ExpectProblem(HttpStatusCode.BadRequest, await key.PostAsync($"{Rules}/preview", rule + $$""", "from": "{{DateTimeOffset.UtcNow.AddDays(-30):O}}" }"""));
        Assert.Contains(Errors(old), e => e.Field == "from");
        var notKept = await ExpectProblem(HttpStatusCode.BadRequest, await key.PostAsync($"{Rules}/preview",
            $$"""{ "model": "{{s.Model}}", "signal": "latency", "metric": "p90", "condition": { "type": "threshold", "op": ">", "value": 1 } }"""));
        Assert.Contains(Errors(notKept), e => e.Field == "metric");
        await ExpectProblem(HttpStatusCode.NotFound, await key.PostAsync($"{Rules}/preview", rule.Replace(s.Model, other.Model) + "}"));
    }
}
