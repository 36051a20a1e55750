using System.Net;
using System.Text;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using ModelWatch.Portal.Tests.TestSupport;
using static ModelWatch.Portal.Tests.TestSupport.PortalApi;

namespace ModelWatch.Portal.Tests.Api;

/// <summary>
/// A database that cannot grow, for real: SQLite's max_page_count (Portal:Storage:MaxSizeMb) makes writes fail with
/// SQLITE_FULL exactly as a full disk does. Nothing in the writer is replaced.
/// </summary>
public sealed class ReadinessApiTests
{
    [Fact]
    public async Task Liveness_and_readiness_answer_200_on_a_healthy_portal()
    {
        await using var portal = PortalFactory.With();
        using var anonymous = portal.WithKey(null);

        foreach (var path in new[] { "/healthz/live", "/healthz/ready", "/healthz" })
            await Expect(HttpStatusCode.OK, await anonymous.GetAsync(path));
    }

    [Fact]
    public async Task While_the_unflushed_tail_is_replayed_healthz_answers_503_starting_and_liveness_stays_200()
    {
        await using var portal = PortalFactory.With();
        using var anonymous = portal.WithKey(null);
        await Expect(HttpStatusCode.OK, await anonymous.GetAsync("/healthz"));
        var health = portal.Services.GetRequiredService<ModelWatch.Engine.EngineHealth>();

        health.MarkStarting("replaying the rows stored after the last aggregate flush"); // what BucketStore does at start
        var starting = await ExpectProblem(HttpStatusCode.ServiceUnavailable, await anonymous.GetAsync("/healthz"));
        var live = await anonymous.GetAsync("/healthz/live");
        health.MarkStarting(null);

        Assert.Equal("starting", starting.GetProperty("state").GetString());
        Assert.Equal(503, starting.GetProperty("status").GetInt32());
        Assert.Contains("replaying", starting.GetProperty("detail").GetString());
        Assert.Equal(HttpStatusCode.OK, live.StatusCode); // do not restart a portal that is catching up
        await Expect(HttpStatusCode.OK, await anonymous.GetAsync("/healthz"));
    }

    [Fact]
    public async Task A_full_database_makes_the_portal_not_ready_governance_writes_answer_503_and_readiness_recovers_once_space_is_freed()
    {
        await using var portal = PortalFactory.With(new Dictionary<string, string?> { ["Portal:Storage:MaxSizeMb"] = "2" });
        var scenario = await Scenario.CreateAsync(portal);
        using var client = portal.WithKey(scenario.Key);
        using var anonymous = portal.WithKey(null);
        using var admin = portal.Admin();
        await Expect(HttpStatusCode.OK, await anonymous.GetAsync("/healthz/ready"));

        var refused = await FillUntilRefusedAsync(client, scenario);

        var ingest = await ExpectProblem(HttpStatusCode.ServiceUnavailable, refused);
        Assert.True(ingest.GetProperty("detail").GetString()!.Contains("full", StringComparison.OrdinalIgnoreCase), ingest.GetProperty("detail").GetString());
        var ready = await ExpectProblem(HttpStatusCode.ServiceUnavailable, await anonymous.GetAsync("/healthz/ready"));
        Assert.Contains("full", ready.GetProperty("detail").GetString());
        await ExpectProblem(HttpStatusCode.ServiceUnavailable, await anonymous.GetAsync("/healthz"));
        await Expect(HttpStatusCode.OK, await anonymous.GetAsync("/healthz/live")); // a restart would not free the disk

        // A governance write that needs new pages: a model with a large schema.
        var bigModel = Scenario.NewId("big");
        var governance = await admin.PostAsync("/api/v1/models", BigModel(bigModel, scenario.Team));
        var problem = await ExpectProblem(HttpStatusCode.ServiceUnavailable, governance);
        Assert.Equal("Storage unavailable", problem.GetProperty("title").GetString());
        Assert.True(governance.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        Assert.Equal(0, portal.Scalar("SELECT COUNT(*) FROM models WHERE id = @bigModel", new { bigModel }));

        // An operator frees space; nobody sends anything, and readiness comes back by itself.
        portal.Scalar("DELETE FROM predictions");
        await WaitUntilAsync(async () => (await anonymous.GetAsync("/healthz/ready")).StatusCode == HttpStatusCode.OK, TimeSpan.FromSeconds(30));
        await Expect(HttpStatusCode.Created, await admin.PostAsync("/api/v1/models", BigModel(bigModel, scenario.Team)));
    }

    private static async Task<HttpResponseMessage> FillUntilRefusedAsync(PortalApi client, Scenario scenario)
    {
        var filler = new string('f', 200);
        for (var batch = 0; batch < 400; batch++)
        {
            var events = Enumerable.Range(0, 200).Select(i => Prediction($"fill-{batch}-{i}-{Guid.NewGuid():N}", features: $$"""{ "amount": 1, "note": "{{filler}}" }""")).ToArray();
            var response = await client.PostAsync(scenario.Predictions, Batch(events));
            if (response.StatusCode != HttpStatusCode.Accepted) return response;
        }
        throw new Xunit.Sdk.XunitException("The database never filled up: Portal:Storage:MaxSizeMb had no effect.");
    }

    private static string BigModel(string id, string team)
    {
        var features = string.Join(", ", Enumerable.Range(0, 600).Select(i => $$"""{ "name": "feature_{{i}}_{{new string('n', 100)}}", "type": "numerical" }"""));
        return $$"""{ "id": "{{id}}", "name": "Big", "task": "binary-classification", "team": "{{team}}", "features": [ {{features}} ] }""";
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"The condition did not hold within {timeout.TotalSeconds:0} s.");
            await Task.Delay(100);
        }
    }
}
