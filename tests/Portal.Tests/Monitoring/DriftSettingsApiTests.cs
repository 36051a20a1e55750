using System.Net;
using ModelWatch.Portal.Tests.TestSupport;

namespace ModelWatch.Portal.Tests.Monitoring;

public sealed class DriftSettingsApiTests(PortalFactory portal) : IClassFixture<PortalFactory>
{
    [Fact]
    public async Task Settings_round_trip_and_show_the_effective_values()
    {
        var scenario = await Scenario.CreateAsync(portal);
        using var api = portal.WithKey(scenario.Key);

        var before = await PortalApi.Expect(HttpStatusCode.OK, await api.GetAsync($"/api/v1/models/{scenario.Model}/drift-settings"));
        Assert.Equal(0.05, before.GetProperty("effective").GetProperty("pValueThreshold").GetDouble());

        var put = await api.Http.PutAsync($"/api/v1/models/{scenario.Model}/drift-settings", Json("""
            { "settings": { "jensenShannonThreshold": 0.2, "features": { "amount": { "wassersteinNormalizedThreshold": 0.3 } } }, "reason": "seasonal traffic" }
            """));
        var after = await PortalApi.Expect(HttpStatusCode.OK, put);

        Assert.Equal(0.2, after.GetProperty("effective").GetProperty("jensenShannonThreshold").GetDouble());
        Assert.Equal(0.3, after.GetProperty("settings").GetProperty("features").GetProperty("amount").GetProperty("wassersteinNormalizedThreshold").GetDouble());
        var reread = await PortalApi.Expect(HttpStatusCode.OK, await api.GetAsync($"/api/v1/models/{scenario.Model}/drift-settings"));
        Assert.Equal(0.2, reread.GetProperty("effective").GetProperty("jensenShannonThreshold").GetDouble());
    }

    [Theory]
    [InlineData("""{ "settings": { "pValueThreshold": 2 }, "reason": "x" }""", "pValueThreshold")]
    [InlineData("""{ "settings": { "features": { "colour": { "pValueThreshold": 0.01 } } }, "reason": "x" }""", "features.colour")]
    [InlineData("""{ "settings": { "reference": { "kind": "window", "from": "2020-01-01T00:00:00Z", "to": "2020-01-02T00:00:00Z" } }, "reason": "x" }""", "reference.from")]
    [InlineData("""{ "settings": { } }""", "reason")]
    [InlineData("""{ "reason": "x" }""", "settings")]
    public async Task Invalid_settings_are_a_problem_naming_the_field(string body, string field)
    {
        var scenario = await Scenario.CreateAsync(portal);
        using var api = portal.WithKey(scenario.Key);

        var problem = await PortalApi.ExpectProblem(HttpStatusCode.BadRequest, await api.Http.PutAsync($"/api/v1/models/{scenario.Model}/drift-settings", Json(body)));

        Assert.Contains(PortalApi.Errors(problem), e => e.Field == field);
    }

    [Fact]
    public async Task Another_team_may_not_change_them()
    {
        var mine = await Scenario.CreateAsync(portal);
        var theirs = await Scenario.CreateAsync(portal);
        using var api = portal.WithKey(mine.Key);

        await PortalApi.ExpectProblem(HttpStatusCode.NotFound, await api.Http.PutAsync($"/api/v1/models/{theirs.Model}/drift-settings", Json("""{ "settings": { }, "reason": "x" }""")));
    }

    private static StringContent Json(string body) => new(body, System.Text.Encoding.UTF8, "application/json");
}
