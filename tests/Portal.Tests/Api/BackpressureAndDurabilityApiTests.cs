using System.Net;
using ModelWatch.Engine.Ingestion;
using ModelWatch.Engine.Tests.TestSupport;
using ModelWatch.Portal.Tests.TestSupport;
using static ModelWatch.Portal.Tests.TestSupport.PortalApi;

namespace ModelWatch.Portal.Tests.Api;

public sealed class BackpressureAndDurabilityApiTests
{
    [Fact]
    public async Task A_full_ingestion_queue_answers_429_with_Retry_After_and_stores_nothing_from_that_request()
    {
        using var gate = new WriterGate();
        using var portal = PortalFactory.With(
            new Dictionary<string, string?> { ["Portal:Ingestion:QueueCapacity"] = "1" },
            services => services.AddSingleton<IIngestionObserver>(gate));
        var scenario = await Scenario.CreateAsync(portal);
        using var client = portal.WithKey(scenario.Key);

        // The first batch commits; the writer is then held in the observer, after the commit.
        await Expect(HttpStatusCode.Accepted, await client.PostAsync(scenario.Predictions, Batch(Prediction("first"))));
        await gate.WaitUntilHeldAsync();

        // Two senders race for the one free slot: one waits in the queue, the other is told to come back later.
        var a = client.PostAsync(scenario.Predictions, Batch(Prediction("a")));
        var b = client.PostAsync(scenario.Predictions, Batch(Prediction("b")));
        var answered = await Task.WhenAny(a, b).WaitAsync(TimeSpan.FromSeconds(10));
        var waiting = answered == a ? b : a;
        var refusedId = answered == a ? "a" : "b";

        var response = await answered;
        await ExpectProblem(HttpStatusCode.TooManyRequests, response);
        Assert.True(response.Headers.RetryAfter?.Delta > TimeSpan.Zero, "429 must say when to retry");
        Assert.False(waiting.IsCompleted); // 202 means committed, and the writer has not moved yet
        gate.Open();
        await Expect(HttpStatusCode.Accepted, await waiting);
        Assert.Equal(0, portal.Scalar("SELECT COUNT(*) FROM predictions WHERE event_id = @refusedId", new { refusedId }));
        Assert.Equal(2, portal.Rows(scenario.Model).Predictions);

        // Once the writer moves again, the refused batch goes through on retry.
        var retry = await Expect(HttpStatusCode.Accepted, await client.PostAsync(scenario.Predictions, Batch(Prediction(refusedId))));
        Assert.Equal(1, retry.GetProperty("accepted").GetInt32());
    }

    [Fact]
    public async Task Acknowledged_events_are_still_there_after_the_portal_is_stopped_and_started_again()
    {
        Scenario scenario;
        string databasePath;
        var first = PortalFactory.With();
        try
        {
            first.KeepDatabase = true;
            databasePath = first.DatabasePath;
            scenario = await Scenario.CreateAsync(first);
            using var client = first.WithKey(scenario.Key);
            for (var batch = 0; batch < 5; batch++)
                await Expect(HttpStatusCode.Accepted, await client.PostAsync(scenario.Predictions, Many(50, $"b{batch}-")));
            await Expect(HttpStatusCode.Accepted, await client.PostAsync(scenario.Labels, """{ "labels": [ { "predictionId": "b0-0", "label": 1 } ] }"""));
        }
        finally
        {
            await first.DisposeAsync(); // stops the host: the writer drains and the connections close
        }

        await using var second = PortalFactory.With(databasePath: databasePath);
        using var again = second.WithKey(scenario.Key);

        var model = await Expect(HttpStatusCode.OK, await again.GetAsync($"/api/v1/models/{scenario.Model}"));
        Assert.Equal(250, model.GetProperty("stats").GetProperty("predictions").GetInt64());
        Assert.Equal(1, model.GetProperty("stats").GetProperty("labels").GetInt64());
        Assert.Equal(250, second.Rows(scenario.Model).Predictions);
        var retry = await Expect(HttpStatusCode.Accepted, await again.PostAsync(scenario.Predictions, Many(50, "b4-")));
        Assert.Equal(50, retry.GetProperty("duplicates").GetInt32());
    }
}
