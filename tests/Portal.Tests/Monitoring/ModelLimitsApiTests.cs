using System.Net;
using ModelWatch.Portal.Tests.TestSupport;

namespace ModelWatch.Portal.Tests.Monitoring;

public sealed class ModelLimitsApiTests(PortalFactory portal) : IClassFixture<PortalFactory>
{
    private static StringContent Json(string body) => new(body, System.Text.Encoding.UTF8, "application/json");

    [Fact]
    public async Task A_budget_change_takes_effect_and_is_audited_with_before_after_and_reason()
    {
        var scenario = await Scenario.CreateAsync(portal);
        using var api = portal.WithKey(scenario.Key);

        var changed = await PortalApi.Expect(HttpStatusCode.OK, await api.Http.PutAsync($"/api/v1/models/{scenario.Model}/limits",
            Json("""{ "monthlyBudgetUsd": 750, "latencySloMs": 120, "reason": "Q4 traffic forecast" }""")));

        Assert.Equal(750, changed.GetProperty("monthlyBudgetUsd").GetDouble());
        var model = await PortalApi.Expect(HttpStatusCode.OK, await api.GetAsync($"/api/v1/models/{scenario.Model}"));
        Assert.Equal(750, model.GetProperty("monthlyBudgetUsd").GetDouble());
        Assert.Equal(120, model.GetProperty("latencySloMs").GetDouble());
        Assert.Equal(0.5, model.GetProperty("decisionThreshold").GetDouble());
        var summary = await PortalApi.Expect(HttpStatusCode.OK, await api.GetAsync($"/api/v1/models/{scenario.Model}/summary"));
        Assert.Equal(750, summary.GetProperty("cost").GetProperty("monthlyBudget").GetDouble());
        Assert.Equal(1, portal.Scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'model.limits-changed' AND subject_model = @m AND reason = 'Q4 traffic forecast' AND before LIKE '%null%' AND after LIKE '%750%'", new { m = scenario.Model }));
    }

    [Theory]
    [InlineData("""{ "monthlyBudgetUsd": -1, "reason": "x" }""", "monthlyBudgetUsd")]
    [InlineData("""{ "decisionThreshold": 1.5, "reason": "x" }""", "decisionThreshold")]
    [InlineData("""{ "latencySloMs": 100 }""", "reason")]
    public async Task Invalid_limits_are_refused_naming_the_field_and_change_nothing(string body, string field)
    {
        var scenario = await Scenario.CreateAsync(portal);
        using var api = portal.WithKey(scenario.Key);

        var problem = await PortalApi.ExpectProblem(HttpStatusCode.BadRequest, await api.Http.PutAsync($"/api/v1/models/{scenario.Model}/limits", Json(body)));

        Assert.Contains(PortalApi.Errors(problem), e => e.Field == field);
        var model = await PortalApi.Expect(HttpStatusCode.OK, await api.GetAsync($"/api/v1/models/{scenario.Model}"));
        Assert.Equal(System.Text.Json.JsonValueKind.Null, model.GetProperty("latencySloMs").ValueKind);
    }

    [Fact]
    public async Task Another_team_may_not_change_the_limits()
    {
        var mine = await Scenario.CreateAsync(portal);
        var theirs = await Scenario.CreateAsync(portal);
        using var api = portal.WithKey(mine.Key);

        await PortalApi.ExpectProblem(HttpStatusCode.NotFound, await api.Http.PutAsync($"/api/v1/models/{theirs.Model}/limits", Json("""{ "monthlyBudgetUsd": 1, "reason": "x" }""")));
    }
}
