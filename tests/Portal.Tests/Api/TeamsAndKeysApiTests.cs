using System.Net;
using ModelWatch.Portal.Tests.TestSupport;
using static ModelWatch.Portal.Tests.TestSupport.PortalApi;

namespace ModelWatch.Portal.Tests.Api;

public sealed class TeamsAndKeysApiTests(PortalFactory portal) : IClassFixture<PortalFactory>
{
    [Fact]
    public async Task An_admin_creates_a_team()
    {
        using var admin = portal.Admin();
        var id = Scenario.NewId("team");

        var response = await admin.PostAsync("/api/v1/teams", $$"""{ "id": "{{id}}", "name": "Payments Risk" }""");

        var team = await Expect(HttpStatusCode.Created, response);
        Assert.Equal(id, team.GetProperty("id").GetString());
        Assert.Equal("Payments Risk", team.GetProperty("name").GetString());
        Assert.Equal($"/api/v1/teams/{id}", response.Headers.Location?.ToString());
        Assert.Equal(1, portal.Scalar("SELECT COUNT(*) FROM teams WHERE id = @id", new { id }));
    }

    [Fact]
    public async Task Creating_a_team_records_exactly_one_audit_entry_and_a_refused_one_none()
    {
        using var admin = portal.Admin();
        var id = Scenario.NewId("team");
        const string entries = "SELECT COUNT(*) FROM audit_log WHERE action = 'team.created' AND subject_team = @id";

        await Expect(HttpStatusCode.Created, await admin.PostAsync("/api/v1/teams", $$"""{ "id": "{{id}}", "name": "Audited" }"""));
        await ExpectProblem(HttpStatusCode.Conflict, await admin.PostAsync("/api/v1/teams", $$"""{ "id": "{{id}}", "name": "Again" }"""));

        Assert.Equal(1, portal.Scalar(entries, new { id }));
        // The entry holds the created team, not the refused second name.
        Assert.Equal(1, portal.Scalar(entries + " AND after LIKE '%\"name\":\"Audited\"%'", new { id }));
    }

    [Fact]
    public async Task Creating_a_team_twice_is_a_conflict()
    {
        using var admin = portal.Admin();
        var id = Scenario.NewId("team");
        await admin.CreateTeamAsync(id);

        var problem = await ExpectProblem(HttpStatusCode.Conflict, await admin.PostAsync("/api/v1/teams", $$"""{ "id": "{{id}}", "name": "Again" }"""));

        Assert.Contains(id, problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task An_invalid_team_is_refused_naming_the_fields()
    {
        using var admin = portal.Admin();

        var problem = await ExpectProblem(HttpStatusCode.BadRequest, await admin.PostAsync("/api/v1/teams", """{ "id": "Payments Risk" }"""));

        Assert.Equal([(-1, "id"), (-1, "name")], Errors(problem));
        Assert.Equal(0, portal.Scalar("SELECT COUNT(*) FROM teams WHERE id = 'Payments Risk'"));
    }

    [Theory]
    [InlineData("{ \"id\": ", "application/json")]
    [InlineData("{ \"id\": \"abc-team\", \"name\": \"x\" }", "text/plain")]
    public async Task Malformed_JSON_or_the_wrong_content_type_is_refused(string body, string contentType)
    {
        using var admin = portal.Admin();
        var teamsBefore = portal.Scalar("SELECT COUNT(*) FROM teams");
        var auditBefore = portal.Scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'team.created'");

        await ExpectProblem(contentType == "application/json" ? HttpStatusCode.BadRequest : HttpStatusCode.UnsupportedMediaType, await admin.PostAsync("/api/v1/teams", body, contentType));

        // Counted over the whole table: a half-read body must not store a team under any id.
        Assert.Equal(teamsBefore, portal.Scalar("SELECT COUNT(*) FROM teams"));
        Assert.Equal(auditBefore, portal.Scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'team.created'"));
    }

    [Fact]
    public async Task A_team_key_may_not_create_teams()
    {
        var scenario = await Scenario.CreateAsync(portal);
        using var teamKey = portal.WithKey(scenario.Key);
        var id = Scenario.NewId("team");

        await ExpectProblem(HttpStatusCode.Forbidden, await teamKey.PostAsync("/api/v1/teams", $$"""{ "id": "{{id}}", "name": "Mine" }"""));

        Assert.Equal(0, portal.Scalar("SELECT COUNT(*) FROM teams WHERE id = @id", new { id }));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("mwk_not-a-real-key")]
    public async Task A_missing_or_unknown_key_gets_401(string? key)
    {
        using var client = portal.WithKey(key);

        var problem = await ExpectProblem(HttpStatusCode.Unauthorized, await client.PostAsync("/api/v1/teams", """{ "id": "sneaky-team", "name": "Sneaky" }"""));

        Assert.Contains(key is null ? "X-Api-Key" : "unknown or has been revoked", problem.GetProperty("detail").GetString());
        Assert.Equal(0, portal.Scalar("SELECT COUNT(*) FROM teams WHERE id = 'sneaky-team'"));
    }

    [Fact]
    public async Task An_admin_issues_a_team_key_that_is_shown_once_and_works()
    {
        using var admin = portal.Admin();
        var team = Scenario.NewId("team");
        await admin.CreateTeamAsync(team);

        var response = await admin.PostAsync($"/api/v1/teams/{team}/keys", """{ "name": "fraud-service" }""");

        var issued = await Expect(HttpStatusCode.Created, response);
        var key = issued.GetProperty("key").GetString()!;
        Assert.StartsWith("key_", issued.GetProperty("id").GetString());
        Assert.Equal(team, issued.GetProperty("team").GetString());
        Assert.Equal(0, portal.Scalar("SELECT COUNT(*) FROM api_keys WHERE key_hash = CAST(@key AS BLOB)", new { key }));
        using var teamKey = portal.WithKey(key);
        await Expect(HttpStatusCode.OK, await teamKey.GetAsync("/api/v1/models"));
    }

    [Fact]
    public async Task A_key_for_a_team_that_does_not_exist_is_not_found()
    {
        using var admin = portal.Admin();

        await ExpectProblem(HttpStatusCode.NotFound, await admin.PostAsync("/api/v1/teams/no-such-team/keys", """{ "name": "x" }"""));
    }

    [Fact]
    public async Task A_key_without_a_name_is_refused()
    {
        var scenario = await Scenario.CreateAsync(portal);
        using var admin = portal.Admin();

        var problem = await ExpectProblem(HttpStatusCode.BadRequest, await admin.PostAsync($"/api/v1/teams/{scenario.Team}/keys", """{ "name": " " }"""));

        Assert.Equal([(-1, "name")], Errors(problem));
    }

    [Fact]
    public async Task A_team_key_may_not_issue_more_keys()
    {
        var scenario = await Scenario.CreateAsync(portal);
        using var teamKey = portal.WithKey(scenario.Key);

        await ExpectProblem(HttpStatusCode.Forbidden, await teamKey.PostAsync($"/api/v1/teams/{scenario.Team}/keys", """{ "name": "mine" }"""));
    }

    [Fact]
    public async Task Issuing_a_key_without_any_key_gets_401()
    {
        var scenario = await Scenario.CreateAsync(portal);
        using var anonymous = portal.WithKey(null);

        await ExpectProblem(HttpStatusCode.Unauthorized, await anonymous.PostAsync($"/api/v1/teams/{scenario.Team}/keys", """{ "name": "mine" }"""));
    }

    [Fact]
    public async Task A_revoked_key_is_refused_at_once()
    {
        var scenario = await Scenario.CreateAsync(portal);
        using var teamKey = portal.WithKey(scenario.Key);
        await Expect(HttpStatusCode.OK, await teamKey.GetAsync($"/api/v1/models/{scenario.Model}"));
        using var admin = portal.Admin();

        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/v1/keys/{scenario.KeyId}")).StatusCode);

        await ExpectProblem(HttpStatusCode.Unauthorized, await teamKey.GetAsync($"/api/v1/models/{scenario.Model}"));
        await ExpectProblem(HttpStatusCode.Unauthorized, await teamKey.PostAsync(scenario.Predictions, Batch(Prediction("p-1"))));
        Assert.Equal(0, portal.Rows(scenario.Model).Predictions);
    }

    [Fact]
    public async Task Revoking_a_key_twice_or_an_unknown_key_is_not_found()
    {
        var scenario = await Scenario.CreateAsync(portal);
        using var admin = portal.Admin();
        await admin.DeleteAsync($"/api/v1/keys/{scenario.KeyId}");

        await ExpectProblem(HttpStatusCode.NotFound, await admin.DeleteAsync($"/api/v1/keys/{scenario.KeyId}"));
        await ExpectProblem(HttpStatusCode.NotFound, await admin.DeleteAsync("/api/v1/keys/key_0000000000000000"));
    }

    [Fact]
    public async Task A_team_key_may_revoke_its_own_teams_key_but_not_another_teams()
    {
        var mine = await Scenario.CreateAsync(portal);
        var theirs = await Scenario.CreateAsync(portal);
        using var admin = portal.Admin();
        var (spareId, _) = await admin.CreateKeyAsync(mine.Team, "spare");
        using var teamKey = portal.WithKey(mine.Key);

        await ExpectProblem(HttpStatusCode.Forbidden, await teamKey.DeleteAsync($"/api/v1/keys/{theirs.KeyId}"));
        Assert.Equal(HttpStatusCode.NoContent, (await teamKey.DeleteAsync($"/api/v1/keys/{spareId}")).StatusCode);

        using var theirKey = portal.WithKey(theirs.Key);
        await Expect(HttpStatusCode.OK, await theirKey.GetAsync($"/api/v1/models/{theirs.Model}"));
    }

    [Fact]
    public async Task Revoking_without_a_key_gets_401()
    {
        var scenario = await Scenario.CreateAsync(portal);
        using var anonymous = portal.WithKey(null);

        await ExpectProblem(HttpStatusCode.Unauthorized, await anonymous.DeleteAsync($"/api/v1/keys/{scenario.KeyId}"));
    }

    [Fact]
    public async Task A_team_key_lists_only_its_own_team_and_an_admin_lists_all()
    {
        var mine = await Scenario.CreateAsync(portal);
        var theirs = await Scenario.CreateAsync(portal);
        using var teamKey = portal.WithKey(mine.Key);
        using var admin = portal.Admin();

        var visible = (await Expect(HttpStatusCode.OK, await teamKey.GetAsync("/api/v1/teams"))).EnumerateArray().Select(t => t.GetProperty("id").GetString()).ToList();
        var all = (await Expect(HttpStatusCode.OK, await admin.GetAsync("/api/v1/teams"))).EnumerateArray().Select(t => t.GetProperty("id").GetString()).ToList();

        Assert.Equal([mine.Team], visible);
        Assert.Contains(theirs.Team, all);
    }

    [Theory]
    [InlineData("null")]
    [InlineData("[]")]
    [InlineData("")]
    public async Task A_team_body_that_is_not_an_object_is_refused(string body)
    {
        using var admin = portal.Admin();

        await ExpectProblem(HttpStatusCode.BadRequest, await admin.PostAsync("/api/v1/teams", body));
    }
}
