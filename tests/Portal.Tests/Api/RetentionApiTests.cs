using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using ModelWatch.Portal.Tests.TestSupport;
using static ModelWatch.Portal.Tests.TestSupport.PortalApi;

namespace ModelWatch.Portal.Tests.Api;

/// <summary>Raw retention as a sender sees it, with the portal's clock moved forward: a label that never met its prediction shows up as too late.</summary>
public sealed class RetentionApiTests
{
    [Fact]
    public async Task A_label_whose_prediction_never_came_is_counted_as_too_late_in_the_model_stats()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var portal = PortalFactory.With(
            new Dictionary<string, string?> { ["Portal:Retention:IntervalSeconds"] = "1", ["Portal:Aggregates:FlushSeconds"] = "1" },
            services => services.AddSingleton<TimeProvider>(clock));
        var scenario = await Scenario.CreateAsync(portal);
        using var client = portal.WithKey(scenario.Key);
        await Expect(HttpStatusCode.Accepted, await client.PostAsync(scenario.Labels, $$"""{ "labels": [ { "predictionId": "never-sent", "label": 1, "timestamp": "{{clock.GetUtcNow():O}}" } ] }"""));
        clock.Advance(TimeSpan.FromDays(1));
        await Expect(HttpStatusCode.Accepted, await client.PostAsync(scenario.Labels, $$"""{ "labels": [ { "predictionId": "still-waiting", "label": 0, "timestamp": "{{clock.GetUtcNow():O}}" } ] }"""));

        clock.Advance(TimeSpan.FromDays(6.5)); // the first label waited 7.5 days (UnmatchedLabelDays is 7), the second 6.5

        var stats = await StatsOnceTooLate(client, $"/api/v1/models/{scenario.Model}");
        Assert.Equal(1, stats.GetProperty("labelsTooLate").GetInt64());
        Assert.Equal(2, stats.GetProperty("labels").GetInt64()); // both arrived: the total is not lowered
    }

    /// <summary>The model's stats once a pruning round (every second here, on the real clock) has counted the label.</summary>
    private static async Task<System.Text.Json.JsonElement> StatsOnceTooLate(PortalApi client, string path)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            var stats = (await Expect(HttpStatusCode.OK, await client.GetAsync(path))).GetProperty("stats");
            if (stats.GetProperty("labelsTooLate").GetInt64() > 0 || DateTime.UtcNow > deadline) return stats;
            await Task.Delay(200);
        }
    }
}
