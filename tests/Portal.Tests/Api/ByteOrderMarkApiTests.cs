using System.Net;
using ModelWatch.Portal.Tests.TestSupport;
using static ModelWatch.Portal.Tests.TestSupport.PortalApi;

namespace ModelWatch.Portal.Tests.Api;

/// <summary>Windows tools put a UTF-8 byte order mark in front of JSON; every JSON endpoint reads past it.</summary>
public sealed class ByteOrderMarkApiTests(PortalFactory portal) : IClassFixture<PortalFactory>
{
    [Fact]
    public async Task A_prediction_batch_behind_a_byte_order_mark_is_stored()
    {
        var scenario = await Scenario.CreateAsync(portal);
        using var client = portal.WithKey(scenario.Key);

        await Expect(HttpStatusCode.Accepted, await client.PostWithBomAsync(scenario.Predictions, Many(2)));

        Assert.Equal(2, portal.Rows(scenario.Model).Predictions);
    }

    [Fact]
    public async Task An_object_body_behind_a_byte_order_mark_is_read()
    {
        using var admin = portal.Admin();
        var team = Scenario.NewId("team");

        var created = await Expect(HttpStatusCode.Created, await admin.PostWithBomAsync("/api/v1/teams", $$"""{ "id": "{{team}}", "name": "Team BOM" }"""));

        Assert.Equal(team, created.GetProperty("id").GetString());
    }

    [Fact]
    public async Task A_drift_comparison_behind_a_byte_order_mark_is_answered()
    {
        using var admin = portal.Admin();

        var answer = await Expect(HttpStatusCode.OK, await admin.PostWithBomAsync("/api/v1/drift/compare",
            """{ "kind": "categorical", "reference": ["a", "b", "a"], "current": ["a", "b", "b"] }"""));

        Assert.Equal(3, answer.GetProperty("referenceSize").GetInt64());
    }

    [Fact]
    public async Task A_body_that_is_only_a_byte_order_mark_is_refused_as_empty()
    {
        var scenario = await Scenario.CreateAsync(portal);
        using var client = portal.WithKey(scenario.Key);

        var problem = await ExpectProblem(HttpStatusCode.BadRequest, await client.PostWithBomAsync(scenario.Predictions, ""));

        Assert.Equal([(-1, "body")], Errors(problem));
    }
}
