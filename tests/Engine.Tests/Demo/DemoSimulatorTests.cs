using Dapper;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using ModelWatch.Engine.Demo;
using ModelWatch.Engine.Windows;

namespace ModelWatch.Engine.Tests.Demo;

public class DemoSimulatorTests
{
    [Fact]
    public async Task One_tick_ingests_predictions_for_every_model()
    {
        await using var engine = new DemoEngine();
        var simulator = await engine.SeededSimulatorAsync();

        var report = await Tick(engine, simulator, DemoSimulator.TickInterval);

        Assert.Equal(0, report.Refused);
        Assert.Equal(4, simulator.ModelIds.Count);
        foreach (var id in simulator.ModelIds)
        {
            var stats = engine.Stats(id);
            Assert.True(stats.Predictions > 0, $"{id} received no predictions");
            Assert.Equal(DemoEngine.Epoch + DemoSimulator.TickInterval, stats.LastEventAt);
        }
        Assert.Equal(report.Predictions, simulator.ModelIds.Sum(id => engine.Stats(id).Predictions));
        Assert.Equal(4, report.Samples); // the first operational sample of each model goes out at once
    }

    [Fact]
    public async Task Traffic_follows_the_configured_rate_across_models()
    {
        await using var engine = new DemoEngine();
        var simulator = await engine.SeededSimulatorAsync(new DemoOptions { EventsPerSecond = 50 });

        var reports = await Run(engine, simulator, TimeSpan.FromSeconds(10), DemoSimulator.TickInterval);

        var total = reports.Sum(r => r.Predictions);
        Assert.InRange(total, 500 - 4, 500); // fractions of an event carry over to the next tick
        Assert.True(engine.Stats("fraud-detector").Predictions > engine.Stats("demand-forecast").Predictions);
    }

    [Fact]
    public async Task Labels_are_sent_only_after_their_delay()
    {
        await using var engine = new DemoEngine();
        var simulator = await engine.SeededSimulatorAsync(new DemoOptions { LabelShare = 0.5, LabelDelayMin = TimeSpan.FromMinutes(1), LabelDelayMax = TimeSpan.FromMinutes(4) });

        await Run(engine, simulator, TimeSpan.FromSeconds(59), TimeSpan.FromSeconds(1));

        Assert.True(simulator.PendingLabels > 0);
        Assert.All(simulator.ModelIds, id => Assert.Equal(0, engine.Stats(id).Labels));

        var reports = await Run(engine, simulator, TimeSpan.FromMinutes(4), TimeSpan.FromSeconds(1));

        var fraud = engine.Stats("fraud-detector");
        Assert.True(fraud.Labels > 0);
        Assert.All(simulator.ModelIds, id => Assert.True(engine.Stats(id).Labels > 0, $"{id} received no labels"));
        Assert.Equal(reports.Sum(r => r.Labels), simulator.ModelIds.Sum(id => engine.Stats(id).Labels));
        // Every prediction of the first minute has its label by now: about half of them were labelled.
        Assert.InRange((double)fraud.Labels / fraud.Predictions, 0.2, 0.5);
    }

    [Fact]
    public async Task Events_of_a_whole_episode_cycle_pass_validation()
    {
        await using var engine = new DemoEngine();
        var simulator = await engine.SeededSimulatorAsync(new DemoOptions { EpisodeCycle = TimeSpan.FromMinutes(5) });

        var reports = await Run(engine, simulator, TimeSpan.FromMinutes(5), TimeSpan.FromSeconds(2));

        Assert.Equal(0, reports.Sum(r => r.Refused));
        Assert.DoesNotContain(engine.Log.Entries, e => e.Level >= LogLevel.Warning);
        Assert.Equal(4, reports.SelectMany(r => r.ActiveEpisodes).Distinct().Count());
        Assert.Equal(4 * 5, reports.Sum(r => r.Costs)); // one cost record per model and minute
        Assert.InRange(reports.Sum(r => r.Samples), 4 * 30 - 4, 4 * 30 + 4); // one sample per model every 10 s

        // A little bad data reaches the data-quality counts: about 1% of events miss a value, a few are out of range.
        var quality = await QualityCounts(engine);
        var predictions = reports.Sum(r => r.Predictions);
        Assert.InRange((double)quality.Missing / predictions, 0.005, 0.02);
        Assert.InRange((double)quality.Bad / predictions, 0.001, 0.01);
        Assert.Equal(0, quality.TypeErrors);
    }

    [Fact]
    public async Task Event_ids_do_not_collide_after_a_restart()
    {
        await using var engine = new DemoEngine();
        var first = await engine.SeededSimulatorAsync();
        await Run(engine, first, TimeSpan.FromSeconds(5), DemoSimulator.TickInterval);

        engine.Clock.Advance(TimeSpan.FromSeconds(1));
        var second = await engine.SeededSimulatorAsync();
        await Run(engine, second, TimeSpan.FromSeconds(5), DemoSimulator.TickInterval);

        Assert.All(second.ModelIds, id => Assert.Equal(0, engine.Stats(id).Duplicates));
        Assert.InRange(second.ModelIds.Sum(id => engine.Stats(id).Predictions), 2 * 250 - 8, 2 * 250);
    }

    [Fact]
    public async Task Episodes_are_logged_when_they_start_and_end()
    {
        await using var engine = new DemoEngine();
        var simulator = await engine.SeededSimulatorAsync(new DemoOptions { EventsPerSecond = 1 });

        await simulator.StepAsync(DemoEngine.Epoch + TimeSpan.FromMinutes(1), CancellationToken.None);
        await simulator.StepAsync(DemoEngine.Epoch + TimeSpan.FromMinutes(2), CancellationToken.None);
        await simulator.StepAsync(DemoEngine.Epoch + TimeSpan.FromMinutes(7), CancellationToken.None);

        var episodes = engine.Log.Entries.Where(e => e.Level == LogLevel.Information && e.Message.Contains("episode", StringComparison.Ordinal)).Select(e => e.Message).ToList();
        Assert.Equal(3, episodes.Count);
        Assert.StartsWith("Demo episode started on fraud-detector", episodes[0], StringComparison.Ordinal);
        Assert.Contains(episodes, m => m.StartsWith("Demo episode ended on fraud-detector", StringComparison.Ordinal));
        Assert.Contains(episodes, m => m.StartsWith("Demo episode started on churn-predictor", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_same_seed_and_clock_give_the_same_traffic()
    {
        await using var a = new DemoEngine();
        await using var b = new DemoEngine();
        var first = await a.SeededSimulatorAsync();
        var second = await b.SeededSimulatorAsync();

        var one = await Run(a, first, TimeSpan.FromSeconds(3), DemoSimulator.TickInterval);
        var two = await Run(b, second, TimeSpan.FromSeconds(3), DemoSimulator.TickInterval);

        Assert.Equal(one.Select(r => r.Predictions), two.Select(r => r.Predictions));
        Assert.Equal(first.ModelIds.Select(id => a.Stats(id)), second.ModelIds.Select(id => b.Stats(id)));
    }

    private static async Task<DemoStepReport> Tick(DemoEngine engine, DemoSimulator simulator, TimeSpan step)
    {
        engine.Clock.Advance(step);
        return await simulator.StepAsync(engine.Clock.GetUtcNow(), CancellationToken.None);
    }

    private static async Task<List<DemoStepReport>> Run(DemoEngine engine, DemoSimulator simulator, TimeSpan duration, TimeSpan step)
    {
        var reports = new List<DemoStepReport>();
        for (var elapsed = TimeSpan.Zero; elapsed < duration; elapsed += step)
            reports.Add(await Tick(engine, simulator, step));
        return reports;
    }

    /// <summary>Missing, out-of-range (bounds or category) and type-error counts over every model, as their summaries show them.</summary>
    private static async Task<(long Missing, long Bad, long TypeErrors)> QualityCounts(DemoEngine engine)
    {
        var baselines = new Baselines(new ReferenceStore(engine.Connections), engine.Connections, engine.Clock);
        using var buckets = new BucketStore(engine.Registry, baselines, engine.Connections, engine.Clock, NullLogger<BucketStore>.Instance);
        await buckets.StartAsync(CancellationToken.None);
        await buckets.WhenReplayed; // a store started after the run replays every stored event: the same path a restart takes
        var summaries = new SummaryService(engine.Registry, buckets, baselines, engine.Clock);
        long missing = 0, bad = 0, typeErrors = 0;
        foreach (var model in engine.Registry.ListModels())
            foreach (var q in summaries.GetSummary(model.Id, DemoEngine.Epoch.AddHours(-1), engine.Clock.GetUtcNow().AddHours(1))!.Quality.Where(q => q.Declared))
            {
                long Count(double? rate) => (long)Math.Round((rate ?? 0) * q.Rows);
                missing += Count(q.MissingRate);
                bad += Count(q.OutOfBoundsRate) + Count(q.UnknownCategoryRate);
                typeErrors += Count(q.TypeErrorRate);
            }
        await buckets.StopAsync(CancellationToken.None);
        return (missing, bad, typeErrors);
    }
}
