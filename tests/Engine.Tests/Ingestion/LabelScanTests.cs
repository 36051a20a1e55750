using Dapper;
using Microsoft.Extensions.Logging.Abstractions;
using ModelWatch.Engine.Ingestion;
using ModelWatch.Engine.Registry;
using ModelWatch.Engine.Storage;
using ModelWatch.Engine.Tests.TestSupport;
using ModelWatch.Engine.Tests.Windows;
using ModelWatch.Engine.Windows;

namespace ModelWatch.Engine.Tests.Ingestion;

/// <summary>
/// Labels waiting for their prediction are found after a restart by a scan in slices between commits, so the first
/// write never waits for a scan of every stored label (44 s with 5M labels); predictions that arrive meanwhile look
/// their label up directly.
/// </summary>
public sealed class LabelScanTests
{
    [Fact]
    public async Task Labels_stored_before_a_restart_join_their_predictions_whether_or_not_the_scan_has_reached_them()
    {
        var database = new TempDatabase { KeepFile = true };
        ModelDefinition model;
        const int Waiting = 5_000; // more than two slices of the scan
        await using (var h = await WindowHarness.StartAsync(database))
        {
            model = h.Model(ModelTask.BinaryClassification);
            await h.PredictAsync(model, [new Prediction("matched", 10, "DE", 0.9)]);
            await h.LabelAsync(model, [("matched", 1)]);
            await h.LabelAsync(model, Enumerable.Range(0, Waiting).Select(i => ($"w{i:D5}", (object)(i % 2))));
            Assert.Equal(1, h.Summaries.GetSummary(model.Id, SummaryWindow.OneHour)!.Performance.Labeled);
        }
        database.KeepFile = false;

        await using var restarted = await WindowHarness.StartAsync(database);
        // At once after the start (the scan has at most begun), then the rest in later batches.
        await restarted.PredictAsync(model, Enumerable.Range(0, Waiting / 2).Select(i => new Prediction($"w{i:D5}", 10, "DE", 0.2)));
        await restarted.PredictAsync(model, Enumerable.Range(Waiting / 2, Waiting / 2).Select(i => new Prediction($"w{i:D5}", 10, "DE", 0.2)));
        await restarted.PredictAsync(model, [new Prediction("matched", 10, "DE", 0.9)]); // a retry: its label is not counted twice

        var summary = restarted.Summaries.GetSummary(model.Id, SummaryWindow.OneHour)!;
        Assert.Equal(Waiting + 1, summary.Performance.Labeled);
    }

    [Fact]
    public void A_prediction_joins_a_stored_label_the_scan_has_not_reached_and_the_scan_then_skips_it()
    {
        using var database = new TempDatabase();
        new MigrationRunner(database.Connections, TimeProvider.System, NullLogger<MigrationRunner>.Instance).Migrate();
        var registry = new RegistryStore(database.Connections, TimeProvider.System);
        Assert.True(registry.CreateTeam(new NewTeam("scan-team", "Scan team")).IsOk);
        Assert.True(registry.CreateModel(new NewModel("scan-model", "Scan model", "binary-classification", "scan-team", [new NewFeature("x", "numerical", 0, 1)])).IsOk);
        Assert.True(registry.CreateVersion("scan-model", new NewVersion("1.0.0"), "test").IsOk);
        var model = registry.FindModel("scan-model")!;
        using (var raw = database.OpenRaw())
            raw.Execute("INSERT INTO labels (model_pk, prediction_id, label_num, ts, seq) VALUES (@Pk, 'a', 1, 0, 1), (@Pk, 'b', 0, 0, 2), (@Pk, 'c', 1, 0, 3)", new { model.Pk });
        using var connection = database.Connections.Open();
        using var tables = new EventTables(connection);
        PredictionRecord Record(string id) => new(id, 60_000, model.VersionKeys["1.0.0"], [], [QualityProblem.Missing], null, 0.7, null, null, null, null, false);

        var outcomes = new List<LabeledOutcome>();
        tables.InsertPredictions(model, [Record("c")], [], outcomes); // no slice scanned yet
        Assert.Equal((double?)1.0, Assert.Single(outcomes).LabelNumber);

        tables.ScanLabels(2); // a and b: both still waiting
        Assert.True(tables.ScanningLabels);
        tables.ScanLabels(2); // c: matched now, not noted as waiting
        Assert.False(tables.ScanningLabels);
        outcomes.Clear();
        tables.InsertPredictions(model, [Record("b"), Record("c"), Record("d")], [], outcomes);
        Assert.Equal(new double?[] { 0.0 }, outcomes.Select(o => o.LabelNumber)); // b from the set; c is a retry; d has no label
    }
}
