using System.Text;
using Dapper;
using ModelWatch.Engine.Ingestion;
using ModelWatch.Engine.Registry;
using ModelWatch.Engine.Tests.TestSupport;
using static ModelWatch.Engine.Tests.TestSupport.Events;

namespace ModelWatch.Engine.Tests.Ingestion;

/// <summary>The single writer: a full queue is refused rather than waited on, and what it acknowledged survives a restart.</summary>
public sealed class WriterTests
{
    [Fact]
    public async Task A_full_queue_answers_QueueFull_and_nothing_queued_is_lost()
    {
        using var gate = new WriterGate();
        await using var engine = await EngineHarness.StartAsync(new IngestionOptions { QueueCapacity = 1 }, [gate]);
        var model = engine.Model();

        // The first batch commits, then the writer is held in the observer after the commit.
        var first = await engine.PredictAsync(model, Batch(Prediction("p-1")));
        Assert.Equal(IngestStatus.Stored, first.Status);
        await gate.WaitUntilHeldAsync();
        var queued = engine.PredictAsync(model, Batch(Prediction("p-2"))); // fills the one slot

        var refused = await engine.PredictAsync(model, Batch(Prediction("p-3")));

        Assert.Equal(IngestStatus.QueueFull, refused.Status);
        Assert.Contains("Retry-After", refused.Problem);
        Assert.False(queued.IsCompleted); // 2xx means committed, so the queued batch is still waiting
        gate.Open();
        Assert.Equal(IngestStatus.Stored, (await queued).Status);
        Assert.Equal(["p-1", "p-2"], engine.Database.OpenRaw().Query<string>("SELECT event_id FROM predictions ORDER BY event_id"));
    }

    [Fact]
    public async Task A_writer_that_is_not_running_answers_unavailable_rather_than_queue_full()
    {
        await using var engine = await EngineHarness.StartAsync(new IngestionOptions { QueueCapacity = 1 }, startWriter: false);
        var model = engine.Model();
        using var cancel = new CancellationTokenSource();
        var waiting = engine.Ingestion.IngestPredictionsAsync(model, Encoding.UTF8.GetBytes(Batch(Prediction("p-1"))), cancel.Token);

        var refused = await engine.PredictAsync(model, Batch(Prediction("p-2")));

        Assert.Equal(IngestStatus.Unavailable, refused.Status);
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
    }

    [Fact]
    public async Task Batches_accepted_into_the_queue_are_committed_when_the_writer_stops()
    {
        using var gate = new WriterGate();
        var database = new TempDatabase();
        await using (var engine = await EngineHarness.StartAsync(new IngestionOptions { QueueCapacity = 4 }, [gate], database: database))
        {
            var model = engine.Model();
            await engine.PredictAsync(model, Batch(Prediction("p-1")));
            await gate.WaitUntilHeldAsync();
            var queued = new[] { engine.PredictAsync(model, Batch(Prediction("p-2"))), engine.PredictAsync(model, Batch(Prediction("p-3"))) };

            var stopping = engine.Writer.StopAsync(CancellationToken.None);
            gate.Open();
            await stopping;

            Assert.All(await Task.WhenAll(queued), r => Assert.Equal(IngestStatus.Stored, r.Status));
            Assert.False(engine.Writer.IsRunning);
            Assert.False(engine.Health.IsReady);
        }
    }

    [Fact]
    public async Task Acknowledged_events_are_still_there_after_the_engine_is_stopped_and_started_on_the_same_file()
    {
        var path = Path.Combine(Path.GetTempPath(), "modelwatch-engine-tests", $"{Guid.NewGuid():N}.db");
        var acknowledged = new List<string>();
        var first = new TempDatabaseAt(path);
        await using (var engine = await EngineHarness.StartAsync(database: first.Database))
        {
            var model = engine.Model();
            for (var batch = 0; batch < 5; batch++)
            {
                var result = await engine.PredictAsync(model, Many(20, $"b{batch}-"));
                Assert.Equal(IngestStatus.Stored, result.Status);
                acknowledged.AddRange(Enumerable.Range(0, 20).Select(i => $"b{batch}-{i}"));
            }
            await engine.LabelAsync(model, Labels(("b0-0", "1")));
            first.KeepFile = true;
        }

        var second = new TempDatabaseAt(path);
        await using (var engine = await EngineHarness.StartAsync(database: second.Database))
        {
            var model = engine.Registry.FindModel("fraud-detector")!;
            Assert.Equal(acknowledged.Order(StringComparer.Ordinal), engine.Database.OpenRaw().Query<string>("SELECT event_id FROM predictions ORDER BY event_id"), StringComparer.Ordinal);
            Assert.Equal(new ModelIngestionStats(100, 1, 0, EngineHarness.Start), engine.Registry.GetStats(model));
            var retry = await engine.PredictAsync(model, Many(20, "b0-"));
            Assert.Equal(new WriteReceipt(0, 20), retry.Receipt);
        }
    }

    [Fact]
    public async Task The_writer_is_ready_after_start_and_not_after_stop()
    {
        var engine = await EngineHarness.StartAsync();
        Assert.True(engine.Health.IsReady);
        Assert.Equal("ready", engine.Health.Status);

        await engine.DisposeAsync();

        Assert.False(engine.Health.IsReady);
        Assert.Contains("writer", engine.Health.Status);
    }

    [Fact]
    public async Task Many_concurrent_senders_are_all_committed_exactly_once()
    {
        await using var engine = await EngineHarness.StartAsync(new IngestionOptions { QueueCapacity = 1000 });
        var model = engine.Model();

        var results = await Task.WhenAll(Enumerable.Range(0, 40).Select(s => Task.Run(() => engine.PredictAsync(model, Many(50, $"s{s}-")))));

        Assert.All(results, r => Assert.Equal(new WriteReceipt(50, 0), r.Receipt));
        Assert.Equal(2000, engine.Database.Count("predictions"));
        Assert.Equal(2000, engine.Registry.GetStats(model).Predictions);
    }

    /// <summary>Two harnesses on one file: the first keeps the file, the second deletes it.</summary>
    private sealed class TempDatabaseAt(string path)
    {
        public TempDatabase Database { get; } = new(pathOverride: path);
        public bool KeepFile { set => Database.KeepFile = value; }
    }
}
