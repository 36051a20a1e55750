using Dapper;
using ModelWatch.Engine.Registry;
using ModelWatch.Engine.Retention;
using ModelWatch.Engine.Tests.Windows;
using Xunit.Abstractions;

namespace ModelWatch.Engine.Tests.Retention;

/// <summary>Forty simulated days of traffic with the pruner running once a day: the database file stops growing.</summary>
public sealed class RetentionSoakTests(ITestOutputHelper output)
{
    private const int Days = 40;
    private const int PredictionsPerDay = 1_500;

    [Fact]
    public async Task The_database_file_levels_off_once_raw_retention_starts_deleting()
    {
        await using var h = await WindowHarness.StartAsync(retention: new RetentionOptions { RawEventDays = 14, UnmatchedLabelDays = 7, IntervalSeconds = 86_400 });
        var model = h.Model(ModelTask.BinaryClassification);
        var sizes = new long[Days + 1];
        var tiers = new long[Days + 1];
        long pagesFreed = 0;
        for (var day = 1; day <= Days; day++)
        {
            var at = h.Clock.GetUtcNow();
            for (var batch = 0; batch < 3; batch++)
                await h.PredictAsync(model, Enumerable.Range(0, PredictionsPerDay / 3).Select(i =>
                    new Prediction($"d{day}-b{batch}-{i}", (day * 37 + i) % 1000, i % 3 == 0 ? "FR" : "DE", i % 4 == 0 ? 0.9 : 0.1, LatencyMs: 10 + i % 50, CostUsd: 0.001, At: at.AddMinutes(batch))));
            await h.LabelAsync(model, Enumerable.Range(0, 300).Select(i => ($"d{day}-b0-{i}", (object)(i % 2))));
            await h.LabelAsync(model, [($"d{day}-never-predicted", (object)1)]);
            await h.MetricsAsync(model, $$"""{ "samples": [ { "timestamp": "{{at:O}}", "cpuPercent": 40 } ], "costs": [ { "timestamp": "{{at:O}}", "amountUsd": 1.5, "item": "gpu" } ] }""");
            h.Clock.Advance(TimeSpan.FromDays(1));
            pagesFreed += (await h.Buckets.PruneAsync()).PagesFreed;
            sizes[day] = FileSize(h);
            tiers[day] = h.Database.Scalar("SELECT COALESCE(SUM(LENGTH(data)), 0) FROM aggregate_blobs");
        }
        output.WriteLine("file size by day (KB): " + string.Join(" ", sizes.Skip(1).Select(s => s / 1024)));
        output.WriteLine("aggregate blobs by day (KB): " + string.Join(" ", tiers.Skip(1).Select(s => s / 1024)));

        // Days 1-14 fill the raw tables; from day 15 each day deletes what a day adds. What still grows is the hour and
        // day tiers (a few KB a day here, bounded by HourDays and DayDays), not the raw events.
        var earlyPerDay = (sizes[14] - sizes[4]) / 10.0;
        var latePerDay = (sizes[Days] - sizes[20]) / (Days - 20.0);
        Assert.True(latePerDay < 0.10 * earlyPerDay, $"the file levels off: {earlyPerDay / 1024:0} KB a day in the first two weeks, {latePerDay / 1024:0.0} KB a day from day 20");
        long Raw(int day) => sizes[day] - tiers[day];
        Assert.True(Raw(Days) < Raw(20) * 1.05, $"everything but the tiers stays put: {Raw(20) / 1024} KB on day 20, {Raw(Days) / 1024} KB on day {Days}");
        Assert.True(pagesFreed > 0, "the pruner gave pages back");
        Assert.InRange(h.Database.Count("predictions"), 14 * PredictionsPerDay, 15 * PredictionsPerDay); // two weeks of raw events and no more
        Assert.Equal(Days - 7, h.Registry.GetStats(model).LabelsTooLate); // one label a day never met its prediction
        Assert.Equal(Days * PredictionsPerDay, h.Summaries.GetSummary(model.Id, ModelWatch.Engine.Windows.SummaryWindow.NinetyDays)!.Traffic.Predictions);
    }

    /// <summary>The main file's size once the WAL is folded back into it (what an operator sees on disk).</summary>
    private static long FileSize(WindowHarness h)
    {
        using (var connection = h.Database.OpenRaw()) connection.Execute("PRAGMA wal_checkpoint(TRUNCATE)");
        return new FileInfo(h.Database.Path).Length;
    }
}
