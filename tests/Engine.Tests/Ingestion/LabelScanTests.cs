using ModelWatch.Engine.Registry;
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
}
