using System.IO.Compression;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using ModelWatch.Engine.Access;
using ModelWatch.Portal.Tests.TestSupport;
using static ModelWatch.Portal.Tests.TestSupport.PortalApi;

namespace ModelWatch.Portal.Tests.Governance;

public sealed class GovernanceApiTests(PortalFactory portal) : IClassFixture<PortalFactory>
{
    private static string Reference(double amount) =>
        $$"""{ "rows": [ { "features": { "amount": {{amount}}, "country": "DE" }, "prediction": 0.2, "label": 0 }, { "features": { "amount": {{amount + 10}}, "country": "FR" }, "prediction": 0.7, "label": 1 } ] }""";

    private static Task<HttpResponseMessage> Put(PortalApi api, string path, string json) =>
        api.Http.PutAsync(path, new StringContent(json, Encoding.UTF8, "application/json"));

    private async Task<long> RequestProductionAsync(PortalApi requester, string model, string version = "1.0.0", string reason = "better recall")
    {
        var request = await Expect(HttpStatusCode.Created, await requester.PostAsync($"/api/v1/models/{model}/aliases/production/requests", $$"""{ "version": "{{version}}", "reason": "{{reason}}" }"""));
        Assert.Equal("pending", request.GetProperty("status").GetString());
        return request.GetProperty("id").GetInt64();
    }

    [Fact]
    public async Task The_requester_cannot_approve_their_own_production_request_but_another_lead_can()
    {
        var s = await Scenario.CreateAsync(portal);
        var (lead1, first) = await People.SignedInAsync(portal, Roles.DataScientist, (s.Team, "lead"));
        var (lead2, second) = await People.SignedInAsync(portal, Roles.OpsEngineer, (s.Team, "lead"));
        var rid = await RequestProductionAsync(first, s.Model);

        var own = await ExpectProblem(HttpStatusCode.Forbidden, await first.PostAsync($"/api/v1/alias-requests/{rid}/approve", "{}"));
        var approved = await Expect(HttpStatusCode.OK, await second.PostAsync($"/api/v1/alias-requests/{rid}/approve", """{ "reason": "reviewed the offline metrics" }"""));

        Assert.Contains("Four-eyes", own.GetProperty("detail").GetString());
        Assert.Equal("approved", approved.GetProperty("status").GetString());
        Assert.Equal($"user:{lead2}", approved.GetProperty("decidedBy").GetString());
        var versions = await Expect(HttpStatusCode.OK, await second.GetAsync($"/api/v1/models/{s.Model}/versions"));
        Assert.Equal(["production"], versions[0].GetProperty("aliases").EnumerateArray().Select(a => a.GetString()));
        Assert.Equal(1, portal.Scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'alias.approved' AND actor = @a AND subject_model = @m AND subject_team = @t", new { a = $"user:{lead2}", m = s.Model, t = s.Team }));
        Assert.Equal(1, portal.Scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'alias.requested' AND actor = @a", new { a = $"user:{lead1}" }));
    }

    [Fact]
    public async Task A_member_who_is_not_a_lead_cannot_approve_and_a_team_key_can_only_request()
    {
        var s = await Scenario.CreateAsync(portal);
        var (_, member) = await People.SignedInAsync(portal, Roles.DataScientist, (s.Team, "member"));
        using var key = portal.WithKey(s.Key);
        // The team key acts for the bootstrap admin who created it; four-eyes needs a different person to approve.
        var (_, admin) = await People.SignedInAsync(portal, Roles.Admin);
        var rid = await RequestProductionAsync(key, s.Model);

        var refused = await ExpectProblem(HttpStatusCode.Forbidden, await member.PostAsync($"/api/v1/alias-requests/{rid}/approve", "{}"));
        await ExpectProblem(HttpStatusCode.Forbidden, await key.PostAsync($"/api/v1/alias-requests/{rid}/approve", "{}"));
        await Expect(HttpStatusCode.OK, await admin.PostAsync($"/api/v1/alias-requests/{rid}/approve", "{}"));
        var again = await ExpectProblem(HttpStatusCode.Conflict, await admin.PostAsync($"/api/v1/alias-requests/{rid}/approve", "{}"));

        Assert.Contains("lead of team", refused.GetProperty("detail").GetString());
        Assert.Contains("already approved", again.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task A_rejection_needs_a_reason_and_keeps_it_and_the_alias_does_not_move()
    {
        var s = await Scenario.CreateAsync(portal);
        var (_, requester) = await People.SignedInAsync(portal, Roles.DataScientist, (s.Team, "member"));
        var (lead, approver) = await People.SignedInAsync(portal, Roles.DataScientist, (s.Team, "lead"));
        var rid = await RequestProductionAsync(requester, s.Model);

        await ExpectProblem(HttpStatusCode.BadRequest, await approver.PostAsync($"/api/v1/alias-requests/{rid}/reject", "{}"));
        var rejected = await Expect(HttpStatusCode.OK, await approver.PostAsync($"/api/v1/alias-requests/{rid}/reject", """{ "reason": "no shadow run yet" }"""));

        Assert.Equal("rejected", rejected.GetProperty("status").GetString());
        Assert.Equal("no shadow run yet", rejected.GetProperty("decisionReason").GetString());
        var aliases = await Expect(HttpStatusCode.OK, await requester.GetAsync($"/api/v1/models/{s.Model}/aliases"));
        Assert.Empty(aliases.GetProperty("aliases").EnumerateArray());
        Assert.Equal("no shadow run yet", aliases.GetProperty("requests")[0].GetProperty("decisionReason").GetString());
        Assert.Equal(1, portal.Scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'alias.rejected' AND reason = 'no shadow run yet' AND actor = @a", new { a = $"user:{lead}" }));
    }

    [Fact]
    public async Task Production_cannot_be_set_directly_but_staging_can_and_archived_versions_hold_no_alias()
    {
        var s = await Scenario.CreateAsync(portal);
        using var key = portal.WithKey(s.Key);
        await Expect(HttpStatusCode.Created, await key.PostAsync($"/api/v1/models/{s.Model}/versions", """{ "version": "2.0.0" }"""));

        var production = await ExpectProblem(HttpStatusCode.Forbidden, await Put(key, $"/api/v1/models/{s.Model}/aliases/production", """{ "version": "2.0.0", "reason": "now" }"""));
        await Expect(HttpStatusCode.OK, await Put(key, $"/api/v1/models/{s.Model}/aliases/staging", """{ "version": "2.0.0", "reason": "try it" }"""));
        var holds = await ExpectProblem(HttpStatusCode.Conflict, await key.PostAsync($"/api/v1/models/{s.Model}/versions/2.0.0/archive", """{ "reason": "old" }"""));
        var archived = await Expect(HttpStatusCode.OK, await key.PostAsync($"/api/v1/models/{s.Model}/versions/1.0.0/archive", """{ "reason": "superseded" }"""));
        var requestArchived = await ExpectProblem(HttpStatusCode.Conflict, await key.PostAsync($"/api/v1/models/{s.Model}/aliases/production/requests", """{ "version": "1.0.0", "reason": "roll back" }"""));

        Assert.Contains("approved request", production.GetProperty("detail").GetString());
        Assert.Contains("staging", holds.GetProperty("detail").GetString());
        Assert.True(archived.GetProperty("archived").GetBoolean());
        Assert.Contains("restore", requestArchived.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Promoting_a_version_to_production_makes_its_reference_the_drift_baseline()
    {
        var s = await Scenario.CreateAsync(portal);
        // The team key acts for the bootstrap admin who created it; four-eyes needs a different person to approve.
        var (_, admin) = await People.SignedInAsync(portal, Roles.Admin);
        using var key = portal.WithKey(s.Key);
        await Expect(HttpStatusCode.Created, await key.PostAsync($"/api/v1/models/{s.Model}/versions", """{ "version": "2.0.0" }"""));
        await Expect(HttpStatusCode.Created, await key.PostAsync($"/api/v1/models/{s.Model}/versions/1.0.0/reference", Reference(100)));
        await Expect(HttpStatusCode.Created, await key.PostAsync($"/api/v1/models/{s.Model}/versions/2.0.0/reference", Reference(200)));
        async Task<string> Baseline() => (await Expect(HttpStatusCode.OK, await key.GetAsync($"/api/v1/models/{s.Model}/summary?window=1h"))).GetProperty("drift").GetProperty("reference").GetString()!;
        Assert.StartsWith("baseline of version 2.0.0", await Baseline());

        var rid = await RequestProductionAsync(key, s.Model, "1.0.0");
        await Expect(HttpStatusCode.OK, await admin.PostAsync($"/api/v1/alias-requests/{rid}/approve", "{}"));

        Assert.StartsWith("baseline of version 1.0.0", await Baseline());
        Assert.Equal(2, portal.Scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'baseline.uploaded' AND subject_model = @m AND subject_team = @t", new { m = s.Model, t = s.Team }));
    }

    [Fact]
    public async Task Reassigning_ownership_needs_a_reason_and_is_kept_as_history()
    {
        var s = await Scenario.CreateAsync(portal);
        using var admin = portal.Admin();
        var other = Scenario.NewId("team");
        await admin.CreateTeamAsync(other);
        var (lead, api) = await People.SignedInAsync(portal, Roles.OpsEngineer, (s.Team, "lead"));

        var missing = await ExpectProblem(HttpStatusCode.BadRequest, await Put(api, $"/api/v1/models/{s.Model}/owner", $$"""{ "team": "{{other}}" }"""));
        await Expect(HttpStatusCode.OK, await Put(api, $"/api/v1/models/{s.Model}/owner", $$"""{ "team": "{{s.Team}}", "reason": "set contacts", "onCall": "pager:risk-oncall", "escalation": "maria@example.com" }"""));
        await Expect(HttpStatusCode.OK, await Put(api, $"/api/v1/models/{s.Model}/owner", $$"""{ "team": "{{other}}", "reason": "reorg: moved to the platform team" }"""));
        // The lead's team no longer owns the model, so it is not visible to them: 404, which does not confirm it exists.
        await ExpectProblem(HttpStatusCode.NotFound, await Put(api, $"/api/v1/models/{s.Model}/owner", $$"""{ "team": "{{s.Team}}", "reason": "mine" }"""));

        Assert.Equal("reason", Errors(missing)[0].Field);
        var ownership = await Expect(HttpStatusCode.OK, await admin.GetAsync($"/api/v1/models/{s.Model}/ownership"));
        Assert.Equal(other, ownership.GetProperty("team").GetString());
        Assert.Equal("pager:risk-oncall", ownership.GetProperty("onCall").GetString());
        var history = ownership.GetProperty("history").EnumerateArray().ToList();
        Assert.Equal(2, history.Count);
        Assert.Equal((s.Team, other, $"user:{lead}", "reorg: moved to the platform team"),
            (history[1].GetProperty("fromTeam").GetString(), history[1].GetProperty("toTeam").GetString(), history[1].GetProperty("changedBy").GetString(), history[1].GetProperty("reason").GetString()));
        var model = await Expect(HttpStatusCode.OK, await admin.GetAsync($"/api/v1/models/{s.Model}"));
        Assert.Equal(other, model.GetProperty("team").GetString());
    }

    [Fact]
    public async Task A_team_lead_manages_members_and_a_member_cannot()
    {
        var s = await Scenario.CreateAsync(portal);
        var (_, lead) = await People.SignedInAsync(portal, Roles.DataScientist, (s.Team, "lead"));
        var (member, memberApi) = await People.SignedInAsync(portal, Roles.DataScientist);

        await Expect(HttpStatusCode.OK, await lead.PostAsync($"/api/v1/teams/{s.Team}/members", $$"""{ "username": "{{member}}", "role": "member" }"""));
        // Membership applies at once: the new member reads the team's model.
        await Expect(HttpStatusCode.OK, await memberApi.GetAsync($"/api/v1/models/{s.Model}"));
        await ExpectProblem(HttpStatusCode.Forbidden, await memberApi.PostAsync($"/api/v1/teams/{s.Team}/members", $$"""{ "username": "{{member}}", "role": "lead" }"""));
        await Expect(HttpStatusCode.NoContent, await lead.DeleteAsync($"/api/v1/teams/{s.Team}/members/{member}"));
        await ExpectProblem(HttpStatusCode.NotFound, await memberApi.GetAsync($"/api/v1/models/{s.Model}"));

        Assert.Equal(1, portal.Scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'team.member-added' AND subject_team = @t", new { t = s.Team }));
        Assert.Equal(1, portal.Scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'team.member-removed' AND subject_team = @t", new { t = s.Team }));
    }

    [Theory]
    [InlineData("csv")]
    [InlineData("jsonl")]
    public async Task An_export_streams_with_a_manifest_that_matches_the_body_and_the_chain(string format)
    {
        var s = await Scenario.CreateAsync(portal);
        using var admin = portal.Admin();

        var response = await admin.GetAsync($"/api/v1/audit/export?format={format}&team={s.Team}");
        var body = await response.Content.ReadAsByteArrayAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        string H(string name) => response.Headers.GetValues("X-Audit-" + name).Single();
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(body)), H("Body-SHA256"));
        // team.created, api-key.created, model.registered, version.registered
        Assert.Equal("4", H("Entries"));
        // The export records itself after pinning its range, so its own entry is not in the body.
        var page = await Expect(HttpStatusCode.OK, await admin.GetAsync($"/api/v1/audit?team={s.Team}&action=version.registered"));
        var newest = page.GetProperty("entries")[0];
        Assert.Equal(newest.GetProperty("sequence").GetInt64().ToString(System.Globalization.CultureInfo.InvariantCulture), H("Last-Sequence"));
        Assert.Equal(newest.GetProperty("hash").GetString(), H("Last-Hash"));
        Assert.Contains(H("Last-Hash"), Encoding.UTF8.GetString(body));
        var verify = await Expect(HttpStatusCode.OK, await admin.GetAsync("/api/v1/audit/verify"));
        Assert.True(verify.GetProperty("valid").GetBoolean());
        Assert.True(portal.Scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'audit.exported' AND subject_team = @t", new { t = s.Team }) >= 1);
    }

    [Fact]
    public async Task The_evidence_pack_holds_the_model_card_the_trail_and_a_manifest_of_both()
    {
        var s = await Scenario.CreateAsync(portal);
        var (_, lead) = await People.SignedInAsync(portal, Roles.DataScientist, (s.Team, "lead"));
        using var key = portal.WithKey(s.Key);
        var rid = await RequestProductionAsync(key, s.Model);
        await Expect(HttpStatusCode.OK, await lead.PostAsync($"/api/v1/alias-requests/{rid}/approve", """{ "reason": "ok" }"""));

        var response = await key.GetAsync($"/api/v1/models/{s.Model}/evidence");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/zip", response.Content.Headers.ContentType?.MediaType);
        using var zip = new ZipArchive(new MemoryStream(await response.Content.ReadAsByteArrayAsync()));
        Assert.Equal(["audit-trail.csv", "manifest.json", "model-card.json", "model-card.md"], zip.Entries.Select(e => e.FullName).Order());
        byte[] Read(string name) { using var m = new MemoryStream(); zip.GetEntry(name)!.Open().CopyTo(m); return m.ToArray(); }
        var card = JsonDocument.Parse(Read("model-card.json")).RootElement;
        Assert.Equal(s.Team, card.GetProperty("team").GetString());
        Assert.Equal("approved", card.GetProperty("aliasRequests")[0].GetProperty("status").GetString());
        Assert.Equal("24h", card.GetProperty("monitoring").GetProperty("window").GetString());
        var manifest = JsonDocument.Parse(Read("manifest.json")).RootElement;
        foreach (var file in manifest.GetProperty("files").EnumerateArray())
            Assert.Equal(file.GetProperty("sha256").GetString(), Convert.ToHexStringLower(SHA256.HashData(Read(file.GetProperty("name").GetString()!))));
        var trail = Encoding.UTF8.GetString(Read("audit-trail.csv"));
        Assert.Contains("alias.approved", trail);
        Assert.Equal(manifest.GetProperty("auditTrail").GetProperty("entries").GetInt64() + 1, trail.Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.True(manifest.GetProperty("chain").GetProperty("valid").GetBoolean());
        Assert.Contains("## Ownership", Encoding.UTF8.GetString(Read("model-card.md")));
    }

    [Fact]
    public async Task Sign_ins_and_failed_sign_ins_are_audited_and_auditors_change_nothing()
    {
        var s = await Scenario.CreateAsync(portal);
        var (auditor, api) = await People.SignedInAsync(portal, Roles.Auditor);
        using var failed = portal.CreateClient();
        await Assert.ThrowsAnyAsync<Exception>(() => People.SignInAsync(portal, auditor, "wrong-password!"));

        await Expect(HttpStatusCode.OK, await api.GetAsync($"/api/v1/audit?actor=user:{auditor}"));
        await ExpectProblem(HttpStatusCode.Forbidden, await api.PostAsync($"/api/v1/models/{s.Model}/aliases/production/requests", """{ "version": "1.0.0", "reason": "x" }"""));

        Assert.Equal(1, portal.Scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'user.signed-in' AND actor = @a", new { a = $"user:{auditor}" }));
        Assert.Equal(1, portal.Scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'user.sign-in-failed' AND after LIKE @u", new { u = $"%{auditor}%" }));
        Assert.Equal(1, portal.Scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'access.denied' AND actor = @a AND subject_model = @m", new { a = $"user:{auditor}", m = s.Model }));
    }
}
