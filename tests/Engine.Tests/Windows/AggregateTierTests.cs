using System.Text;
using System.Text.Json;
using Dapper;
using ModelWatch.Engine.Ingestion;
using ModelWatch.Engine.Registry;
using ModelWatch.Engine.Tests.TestSupport;
using ModelWatch.Engine.Windows;

namespace ModelWatch.Engine.Tests.Windows;

/// <summary>The persisted tiers: summaries survive a restart that replays only the unflushed tail, and a pre-tier database is aggregated once.</summary>
public sealed class AggregateTierTests
{
    private static readonly SummaryWindow[] Windows = [SummaryWindow.OneHour, SummaryWindow.OneDay, SummaryWindow.SevenDays, SummaryWindow.ThirtyDays];

    private static List<Prediction> Traffic(int count, DateTimeOffset at, string prefix, double shift = 0)
    {
        var random = new Random(prefix.GetHashCode(StringComparison.Ordinal) & 0xffff);
        string[] countries = ["DE", "FR", "US"];
        return Enumerable.Range(0, count).Select(i => new Prediction(prefix + i, random.NextDouble() * 100 + shift, countries[random.Next(3)],
            random.NextDouble(), LatencyMs: 5 + random.NextDouble() * 20, CostUsd: 0.001, At: at.AddSeconds(-i % 50))).ToList();
    }

    /// <summary>Traffic now, an hour ago, three days ago (only the hour tier holds it at minute retention 2 days) and labels.</summary>
    private static async Task<ModelDefinition> SeedAsync(WindowHarness h)
    {
        var model = h.Model(ModelTask.BinaryClassification, budget: 50);
        await h.ReferenceAsync(model, Enumerable.Range(0, 300).Select(i => ((double)(i % 100), i % 2 == 0 ? "DE" : "FR", (object)0.3, (object?)(i % 2))));
        await h.PredictAsync(model, Traffic(300, WindowHarness.Start.AddDays(-3), "old-", 20));
        await h.PredictAsync(model, Traffic(200, WindowHarness.Start.AddHours(-1), "hour-", 10));
        await h.PredictAsync(model, Traffic(250, WindowHarness.Start, "now-"));
        await h.LabelAsync(model, Enumerable.Range(0, 150).Select(i => ("hour-" + i, (object)(i % 2))));
        await h.MetricsAsync(model, $$"""{ "samples": [ { "timestamp": "{{WindowHarness.Start:O}}", "cpuPercent": 40, "errors": 3 } ], "costs": [ { "timestamp": "{{WindowHarness.Start:O}}", "amountUsd": 2.5, "item": "gpu" } ] }""");
        return model;
    }

    private static string Fingerprint(ModelSummary s) => JsonSerializer.Serialize(new
    {
        s.Traffic.Predictions, s.Traffic.Errors, s.Performance.Labeled, s.Performance.Binary?.Accuracy, s.Latency.P50, s.Latency.P99,
        s.Cost.Total, s.Cost.MonthToDate, Drift = s.Drift.Features.Select(f => (f.Feature, f.Value, f.KsStatistic)).ToList(), s.Quality, s.System.CpuPercent,
    });

    private static Dictionary<SummaryWindow, string> Summaries(WindowHarness h) =>
        Windows.ToDictionary(w => w, w => Fingerprint(h.Summaries.GetSummary("fraud-detector", w)!));

    [Fact]
    public async Task Summaries_are_identical_after_a_restart_that_replays_only_the_unflushed_tail()
    {
        var database = new TempDatabase { KeepFile = true };
        Dictionary<SummaryWindow, string> before;
        await using (var h = await WindowHarness.StartAsync(database))
        {
            var model = await SeedAsync(h);
            // A tail the aggregates do not hold yet: committed, folded in memory, never flushed before the stop.
            var tail = JsonSerializer.Serialize(new { events = Traffic(40, WindowHarness.Start, "tail-").Select(p => new { id = p.Id, timestamp = p.At!.Value.ToString("O"), version = "1.0.0", features = new { amount = p.Amount, country = p.Country }, prediction = p.Value }) });
            Assert.Equal(IngestStatus.Stored, (await h.Ingestion.IngestPredictionsAsync(h.Registry.FindModel(model.Id)!, Encoding.UTF8.GetBytes(tail))).Status);
            await h.Buckets.FoldedAsync();
            before = Summaries(h);
            Assert.Equal(790, h.Summaries.GetSummary(model.Id, SummaryWindow.SevenDays)!.Traffic.Predictions);
        }
        database.KeepFile = false;
        using (var connection = database.OpenRaw())
        {
            var flushed = connection.ExecuteScalar<long>("SELECT predictions FROM aggregate_watermarks WHERE node = 'local'");
            Assert.True(flushed < connection.ExecuteScalar<long>("SELECT MAX(rowid) FROM predictions"), "the stop left an unflushed tail");
            // Proof that nothing below the watermark is replayed: summaries come out the same without those raw rows.
            connection.Execute("DELETE FROM predictions WHERE rowid <= @flushed AND event_id NOT IN (SELECT prediction_id FROM labels)", new { flushed });
        }

        await using var restarted = await WindowHarness.StartAsync(database);

        Assert.Equal(before, Summaries(restarted));
    }

    [Fact]
    public async Task A_database_made_before_the_tiers_is_aggregated_once_and_summarises_as_before()
    {
        var database = new TempDatabase { KeepFile = true };
        Dictionary<SummaryWindow, string> before;
        await using (var h = await WindowHarness.StartAsync(database))
        {
            await SeedAsync(h);
            before = Summaries(h);
        }
        database.KeepFile = false;
        using (var connection = database.OpenRaw())
        {
            // Today's shape as migration 0009 finds it: raw rows, no blobs, labels without arrival seq; the migration's own
            // statements then set the watermark at the newest rows and record what the upgrade must aggregate.
            connection.Execute("""
                DELETE FROM aggregate_blobs; DELETE FROM aggregate_watermarks; DELETE FROM aggregate_upgrade; UPDATE labels SET seq = NULL;
                INSERT INTO aggregate_watermarks (node, predictions, labels, samples, costs)
                VALUES ('local', (SELECT COALESCE(MAX(rowid), 0) FROM predictions), 0,
                        (SELECT COALESCE(MAX(rowid), 0) FROM operational_samples), (SELECT COALESCE(MAX(rowid), 0) FROM cost_records));
                INSERT INTO aggregate_upgrade (node, target_predictions, target_samples, target_costs)
                SELECT 'local', (SELECT COALESCE(MAX(rowid), 0) FROM predictions), (SELECT COALESCE(MAX(rowid), 0) FROM operational_samples),
                       (SELECT COALESCE(MAX(rowid), 0) FROM cost_records)
                WHERE EXISTS (SELECT 1 FROM predictions) OR EXISTS (SELECT 1 FROM operational_samples) OR EXISTS (SELECT 1 FROM cost_records);
                """);
        }

        await using var upgraded = await WindowHarness.StartAsync(database);
        await upgraded.Buckets.FlushAsync(); // the upgrade runs before the aggregator takes new work

        Assert.Equal(before, Summaries(upgraded));
        Assert.Equal(0, database.Scalar("SELECT COUNT(*) FROM aggregate_upgrade"));
    }

    [Fact]
    public void Migration_0009_starts_the_watermark_at_the_newest_rows_and_records_the_upgrade()
    {
        using var database = new TempDatabase();
        var runner = new ModelWatch.Engine.Storage.MigrationRunner(database.Connections, TimeProvider.System, Microsoft.Extensions.Logging.Abstractions.NullLogger<ModelWatch.Engine.Storage.MigrationRunner>.Instance);
        Assert.Equal(8, runner.MigrateTo(8));
        using (var connection = database.OpenRaw())
        {
            connection.Execute("""
                INSERT INTO teams (id, name, created_at) VALUES ('t', 'T', 1);
                INSERT INTO models (pk, id, name, task, team_id, features, created_at) VALUES (7, 'm', 'M', 'regression', 't', '[]', 2);
                INSERT INTO model_versions (pk, model_pk, version, created_by, created_at) VALUES (70, 7, '1.0.0', 'user:x', 3);
                INSERT INTO predictions (model_pk, event_id, ts, version_pk, features, prediction_num) VALUES (7, 'a', 60000, 70, x'', 1.0), (7, 'b', 60000, 70, x'', 2.0);
                INSERT INTO labels (model_pk, prediction_id, label_num, ts) VALUES (7, 'a', 1.5, 60000);
                """);
        }

        Assert.Equal(9, runner.MigrateTo(9));

        Assert.Equal(2, database.Scalar("SELECT predictions FROM aggregate_watermarks WHERE node = 'local'"));
        Assert.Equal(2, database.Scalar("SELECT target_predictions FROM aggregate_upgrade WHERE node = 'local'"));
        Assert.Equal(0, database.Scalar("SELECT done_predictions FROM aggregate_upgrade WHERE node = 'local'"));
        Assert.Equal(1, database.Scalar("SELECT COUNT(*) FROM labels WHERE seq IS NULL"));
    }

    [Fact]
    public async Task Flushed_minutes_land_in_all_three_tiers_and_reads_stay_within_the_cache_budget()
    {
        await using var h = await WindowHarness.StartAsync();
        await SeedAsync(h);

        Assert.True(h.Database.Scalar("SELECT COUNT(*) FROM aggregate_blobs WHERE tier = 0") > 0);
        Assert.Equal(h.Database.Scalar("SELECT COUNT(DISTINCT start_minute / 60) FROM aggregate_blobs WHERE tier = 0"),
            h.Database.Scalar("SELECT COUNT(DISTINCT start_minute) FROM aggregate_blobs WHERE tier = 1"));
        Assert.Equal(2, h.Database.Scalar("SELECT COUNT(DISTINCT start_minute) FROM aggregate_blobs WHERE tier = 2")); // today and 3 days ago
        foreach (var window in SummaryWindows.All) Assert.NotNull(h.Summaries.GetSummary("fraud-detector", window));
        Assert.InRange(h.Buckets.Cache.UsedBytes, 1, h.Buckets.Cache.CapacityBytes);
    }

    [Fact]
    public async Task Windows_of_a_day_and_more_start_on_their_tier_slot_and_a_range_reads_any_span()
    {
        await using var h = await WindowHarness.StartAsync();
        await SeedAsync(h);

        var day = h.Summaries.GetSummary("fraud-detector", SummaryWindow.OneDay)!;
        var month = h.Summaries.GetSummary("fraud-detector", SummaryWindow.ThirtyDays)!;
        var range = h.Summaries.GetSummary("fraud-detector", WindowHarness.Start.AddDays(-4), WindowHarness.Start.AddDays(-2))!;

        Assert.Equal(new DateTimeOffset(2026, 11, 22, 12, 0, 0, TimeSpan.Zero), day.From); // hour-aligned
        Assert.Equal(new DateTimeOffset(2026, 10, 24, 0, 0, 0, TimeSpan.Zero), month.From); // day-aligned
        Assert.Equal(450, day.Traffic.Predictions);
        Assert.Equal(750, month.Traffic.Predictions);
        Assert.Equal(300, range.Traffic.Predictions);
        Assert.Equal("custom", range.Window);
        // 2 days and a minute (the end rounds up to whole minutes): 3-hour steps, the last one partial.
        Assert.Equal(17, h.Summaries.GetTimeline("fraud-detector", WindowHarness.Start.AddDays(-2), WindowHarness.Start)!.Points.Count);
    }
}
