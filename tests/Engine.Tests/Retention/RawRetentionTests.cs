using System.Text;
using ModelWatch.Engine.Ingestion;
using ModelWatch.Engine.Registry;
using ModelWatch.Engine.Retention;
using ModelWatch.Engine.Tests.TestSupport;
using ModelWatch.Engine.Tests.Windows;

namespace ModelWatch.Engine.Tests.Retention;

/// <summary>Raw-event retention on a simulated clock: what is deleted, what is kept, and what the summaries and stats still say.</summary>
public sealed class RawRetentionTests
{
    private static RetentionOptions Options(int batchRows = 2_000) => new() { RawEventDays = 14, UnmatchedLabelDays = 7, BatchRows = batchRows, IntervalSeconds = 86_400 };

    private static IEnumerable<Prediction> Traffic(string prefix, int count, DateTimeOffset at) =>
        Enumerable.Range(0, count).Select(i => new Prediction($"{prefix}-{i}", 10 + i, i % 2 == 0 ? "DE" : "FR", i % 3 == 0 ? 0.9 : 0.2, LatencyMs: 20 + i, CostUsd: 0.01, At: at));

    private static async Task Metrics(WindowHarness h, ModelDefinition model, DateTimeOffset at) =>
        await h.MetricsAsync(model, $$"""{ "samples": [ { "timestamp": "{{at:O}}", "cpuPercent": 40, "errors": 1 } ], "costs": [ { "timestamp": "{{at:O}}", "amountUsd": 2.5, "item": "gpu" } ] }""");

    [Fact]
    public async Task Expired_rows_are_deleted_while_windows_served_from_the_tiers_and_the_stats_keep_their_counts()
    {
        await using var h = await WindowHarness.StartAsync(retention: Options(batchRows: 7)); // small batches: several writer commands per table
        var model = h.Model(ModelTask.BinaryClassification);
        var day0 = h.Clock.GetUtcNow();
        await h.PredictAsync(model, Traffic("old", 30, day0));
        await h.LabelAsync(model, Enumerable.Range(0, 12).Select(i => ($"old-{i}", (object)(i % 2))));
        await Metrics(h, model, day0);
        h.Clock.Advance(TimeSpan.FromDays(15));
        var day15 = h.Clock.GetUtcNow();
        await h.PredictAsync(model, Traffic("new", 4, day15));
        await h.LabelAsync(model, [("new-0", 1)]);
        await Metrics(h, model, day15);
        var (from, to) = (day0.AddHours(-1), day15.AddHours(1));
        var before = h.Summaries.GetSummary(model.Id, from, to)!;
        var statsBefore = h.Registry.GetStats(model);

        var report = await h.Buckets.PruneAsync();

        Assert.Equal(new RawPruneReport(30, 1, 1, 0, report.PagesFreed), report);
        Assert.Equal(4, h.Database.Count("predictions"));
        Assert.Equal(1, h.Database.Count("labels")); // the labels of deleted predictions went with them
        Assert.Equal(1, h.Database.Count("operational_samples"));
        Assert.Equal(1, h.Database.Count("cost_records"));
        var after = h.Summaries.GetSummary(model.Id, from, to)!;
        Assert.Equal(34, after.Traffic.Predictions);
        Assert.Equal(before.Traffic.Predictions, after.Traffic.Predictions);
        Assert.Equal(13, after.Performance.Labeled);
        Assert.Equal(before.Performance.Labeled, after.Performance.Labeled);
        Assert.Equal(before.Cost.Total, after.Cost.Total);
        Assert.Equal(before.System.Samples, after.System.Samples);
        Assert.Equal(before.Latency.P50, after.Latency.P50);
        Assert.Equal(statsBefore, h.Registry.GetStats(model)); // totals since registration: retention never lowers them
    }

    [Fact]
    public async Task Rows_the_tiers_do_not_hold_yet_are_kept_until_a_flush_covers_them()
    {
        await using var h = await WindowHarness.StartAsync(retention: Options());
        var model = h.Model(ModelTask.BinaryClassification);
        var old = h.Clock.GetUtcNow();
        await h.PredictAsync(model, Traffic("flushed", 5, old));
        var body = Encoding.UTF8.GetBytes($$"""{ "events": [ {{Event("unflushed-1", old)}}, {{Event("unflushed-2", old)}} ] }""");
        Assert.Equal(IngestStatus.Stored, (await h.Ingestion.IngestPredictionsAsync(h.Registry.FindModel(model.Id)!, body)).Status); // committed, not flushed
        h.Clock.Advance(TimeSpan.FromDays(15));

        await h.Buckets.PruneAsync();

        Assert.Equal(2, h.Database.Count("predictions")); // unflushed-1 is not the newest row: only the watermark keeps it
        await h.Buckets.FlushAsync();
        await h.Buckets.PruneAsync();
        Assert.Equal(1, h.Database.Count("predictions")); // the newest row always stays, so rowids are never handed out twice
        Assert.Equal(7, h.Summaries.GetSummary(model.Id, old.AddHours(-1), h.Clock.GetUtcNow())!.Traffic.Predictions);
    }

    private static string Event(string id, DateTimeOffset at) =>
        $$"""{ "id": "{{id}}", "timestamp": "{{at:O}}", "version": "1.0.0", "features": { "amount": 1, "country": "DE" }, "prediction": 0.5 }""";

    [Fact]
    public async Task A_label_that_waited_past_UnmatchedLabelDays_is_deleted_and_counted_as_too_late()
    {
        await using var h = await WindowHarness.StartAsync(retention: Options());
        var model = h.Model(ModelTask.BinaryClassification);
        await h.LabelAsync(model, [("never-predicted", 1)]);
        h.Clock.Advance(TimeSpan.FromDays(1));
        await h.LabelAsync(model, [("arrives-later", 0)]);
        h.Clock.Advance(TimeSpan.FromDays(6.5)); // the first label waited 7.5 days, the second 6.5

        var report = await h.Buckets.PruneAsync();

        Assert.Equal(1, report.TooLateLabels);
        Assert.Equal(1, h.Registry.GetStats(model).LabelsTooLate);
        Assert.Equal(0, h.Database.Scalar("SELECT COUNT(*) FROM labels WHERE prediction_id = 'never-predicted'"));
        Assert.Equal(1, h.Database.Scalar("SELECT COUNT(*) FROM labels WHERE prediction_id = 'arrives-later'"));
        // The prediction that still comes for the kept label is joined; the dropped label's prediction is not.
        await h.PredictAsync(model, [new Prediction("arrives-later", 5, "DE", 0.2), new Prediction("never-predicted", 5, "DE", 0.9)]);
        Assert.Equal(1, h.Summaries.GetSummary(model.Id, ModelWatch.Engine.Windows.SummaryWindow.OneHour)!.Performance.Labeled);
    }

    [Fact]
    public async Task A_label_for_a_prediction_older_than_raw_retention_is_counted_as_too_late_never_silently_dropped()
    {
        await using var h = await WindowHarness.StartAsync(retention: Options());
        var model = h.Model(ModelTask.BinaryClassification);
        await h.PredictAsync(model, Traffic("old", 3, h.Clock.GetUtcNow()));
        h.Clock.Advance(TimeSpan.FromDays(15));
        await h.PredictAsync(model, Traffic("new", 1, h.Clock.GetUtcNow()));
        await h.Buckets.PruneAsync(); // old-* are gone

        await h.LabelAsync(model, [("old-1", 1)]);
        await h.LabelAsync(model, [("new-0", 1)]);
        h.Clock.Advance(TimeSpan.FromDays(8));
        await h.Buckets.PruneAsync();

        Assert.Equal(1, h.Registry.GetStats(model).LabelsTooLate);
        Assert.Equal(2, h.Registry.GetStats(model).Labels);
    }

    [Fact]
    public async Task A_new_database_gives_the_pages_of_deleted_rows_back()
    {
        await using var h = await WindowHarness.StartAsync(retention: Options());
        var model = h.Model(ModelTask.BinaryClassification);
        for (var batch = 0; batch < 4; batch++) await h.PredictAsync(model, Traffic($"old{batch}", 500, h.Clock.GetUtcNow()));
        h.Clock.Advance(TimeSpan.FromDays(15));
        await h.PredictAsync(model, Traffic("new", 1, h.Clock.GetUtcNow()));
        var pagesBefore = h.Database.Scalar("PRAGMA page_count");

        var report = await h.Buckets.PruneAsync();

        Assert.Equal(2_000, report.Predictions);
        Assert.True(report.PagesFreed > 20, $"{report.PagesFreed} pages given back");
        Assert.Equal(0, h.Database.Scalar("PRAGMA freelist_count"));
        Assert.True(h.Database.Scalar("PRAGMA page_count") < pagesBefore - 20, "the database has fewer pages after pruning");
    }

    [Fact]
    public async Task Ingestion_while_the_pruner_deletes_loses_nothing_and_counts_everything_once()
    {
        await using var h = await WindowHarness.StartAsync(retention: Options(batchRows: 50)); // 40 paced batches: ingestion interleaves
        var model = h.Model(ModelTask.BinaryClassification);
        var day0 = h.Clock.GetUtcNow();
        for (var batch = 0; batch < 4; batch++) await h.PredictAsync(model, Traffic($"old{batch}", 500, day0));
        h.Clock.Advance(TimeSpan.FromDays(15));
        var day15 = h.Clock.GetUtcNow();

        var pruning = h.Buckets.PruneAsync();
        await Task.WhenAll(Enumerable.Range(0, 20).Select(batch => h.PredictAsync(model, Traffic($"fresh{batch}", 50, day15))));
        var report = await pruning;

        Assert.Equal(2_000, report.Predictions);
        Assert.Equal(1_000, h.Database.Count("predictions"));
        Assert.Equal(0, h.Database.Scalar("SELECT COUNT(*) FROM predictions WHERE event_id LIKE 'old%'"));
        Assert.Equal(3_000, h.Summaries.GetSummary(model.Id, day0.AddHours(-1), day15.AddHours(1))!.Traffic.Predictions);
        Assert.Equal(3_000, h.Registry.GetStats(model).Predictions);
    }
}
