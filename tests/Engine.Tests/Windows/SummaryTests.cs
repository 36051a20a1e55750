using ModelWatch.Engine.Registry;
using ModelWatch.Engine.Statistics.Performance;
using ModelWatch.Engine.Tests.TestSupport;
using ModelWatch.Engine.Windows;

namespace ModelWatch.Engine.Tests.Windows;

public sealed class SummaryTests
{
    private static IEnumerable<(double, string, object, object?)> Baseline(int rows, int seed = 1)
    {
        var random = new Random(seed);
        string[] countries = ["DE", "FR", "US"];
        for (var i = 0; i < rows; i++) yield return (random.NextDouble() * 100, countries[random.Next(3)], random.NextDouble(), random.Next(2));
    }

    private static List<Prediction> Traffic(int count, double amountShift = 0, int seed = 2, string prefix = "p-")
    {
        var random = new Random(seed);
        string[] countries = ["DE", "FR", "US"];
        return Enumerable.Range(0, count).Select(i => new Prediction(prefix + i, random.NextDouble() * 100 + amountShift, countries[random.Next(3)],
            random.NextDouble(), LatencyMs: 5 + random.NextDouble() * 20, CostUsd: 0.001)).ToList();
    }

    [Fact]
    public async Task Summary_counts_what_was_committed_in_the_window()
    {
        await using var h = await WindowHarness.StartAsync();
        var model = h.Model(ModelTask.BinaryClassification, budget: 100, slo: 20);
        var traffic = Traffic(500);
        await h.PredictAsync(model, traffic);

        var summary = h.Summaries.GetSummary(model.Id, SummaryWindow.OneHour)!;

        Assert.Equal(500, summary.Traffic.Predictions);
        Assert.Equal(500, summary.Latency.Count);
        Assert.Equal(0.5, summary.Cost.Total, 9);
        Assert.Equal(1.0, summary.Cost.PerThousandPredictions!.Value, 9);
        Assert.Equal(0.5, summary.Cost.MonthToDate, 9);
        var exactP95 = traffic.Select(t => t.LatencyMs!.Value).Order().ElementAt((int)Math.Ceiling(0.95 * 500) - 1);
        Assert.InRange(summary.Latency.P95!.Value, exactP95 * 0.98, exactP95 * 1.02);
        Assert.Equal(summary.Latency.P95 > 20, summary.Latency.SloBreached);
        Assert.Equal(traffic.Average(t => (double)t.Value), summary.Predictions.Mean!.Value, 9);
    }

    [Fact]
    public async Task Throughput_is_averaged_over_the_part_of_the_window_that_had_traffic()
    {
        await using var h = await WindowHarness.StartAsync(); // 12:00:30
        var model = h.Model(ModelTask.BinaryClassification);
        await h.PredictAsync(model, Traffic(600));

        // The first traffic fell in the 12:00 minute: 600 events in 30 s, not 600 in an hour.
        Assert.Equal(20, h.Summaries.GetSummary(model.Id, SummaryWindow.OneHour)!.Traffic.EventsPerSecond, 9);
    }

    [Fact]
    public async Task Events_older_than_the_window_are_left_out()
    {
        await using var h = await WindowHarness.StartAsync();
        var model = h.Model(ModelTask.BinaryClassification);
        await h.PredictAsync(model, Traffic(10).Select(p => p with { At = WindowHarness.Start.AddMinutes(-30) }));
        await h.PredictAsync(model, Traffic(7, prefix: "now-"));

        Assert.Equal(7, h.Summaries.GetSummary(model.Id, SummaryWindow.FiveMinutes)!.Traffic.Predictions);
        Assert.Equal(17, h.Summaries.GetSummary(model.Id, SummaryWindow.OneHour)!.Traffic.Predictions);

        h.Clock.Advance(TimeSpan.FromMinutes(40));
        Assert.Equal(7, h.Summaries.GetSummary(model.Id, SummaryWindow.OneHour)!.Traffic.Predictions);
    }

    [Fact]
    public async Task Shifted_inputs_drift_and_unshifted_ones_do_not()
    {
        await using var h = await WindowHarness.StartAsync();
        var model = h.Model(ModelTask.BinaryClassification);
        await h.ReferenceAsync(model, Baseline(2_000));

        await h.PredictAsync(model, Traffic(2_000));
        var calm = h.Summaries.GetSummary(model.Id, SummaryWindow.FiveMinutes)!;
        Assert.All(calm.Drift.Features, f => Assert.False(f.Drifted, $"{f.Feature}: {f.Method} {f.Value}"));
        Assert.False(calm.Drift.DatasetDrift);

        h.Clock.Advance(TimeSpan.FromMinutes(10));
        await h.PredictAsync(model, Traffic(2_000, amountShift: 60, seed: 3, prefix: "q-"));
        var shifted = h.Summaries.GetSummary(model.Id, SummaryWindow.FiveMinutes)!;
        var amount = shifted.Drift.Features.Single(f => f.Feature == "amount");
        Assert.True(amount.Drifted);
        Assert.Equal("wassersteinNormalized", amount.Method); // a 2,000-row reference is judged by distance, not a test
        Assert.Equal(2_000, amount.ReferenceSize);
        Assert.Equal(2_000, amount.CurrentSize);
        Assert.Equal("significant", amount.PsiBand);
        Assert.False(shifted.Drift.Features.Single(f => f.Feature == "country").Drifted);
        Assert.Equal(0.5, shifted.Drift.DriftedShare);
        Assert.True(shifted.Drift.DatasetDrift);
        Assert.NotNull(amount.Distribution);
        Assert.Equal(1.0, amount.Distribution!.Current.Sum(), 6);
    }

    [Fact]
    public async Task Without_a_reference_drift_says_why()
    {
        await using var h = await WindowHarness.StartAsync();
        var model = h.Model(ModelTask.BinaryClassification);
        await h.PredictAsync(model, Traffic(20));

        var drift = h.Summaries.GetSummary(model.Id, SummaryWindow.OneHour)!.Drift;

        Assert.False(drift.DatasetDrift);
        Assert.Null(drift.DriftedShare);
        Assert.All(drift.Features, f => Assert.Contains("reference", f.Reason));
    }

    [Fact]
    public async Task A_reference_uploaded_after_traffic_is_compared_with_the_existing_buckets()
    {
        await using var h = await WindowHarness.StartAsync();
        var model = h.Model(ModelTask.BinaryClassification);
        await h.PredictAsync(model, Traffic(1_500, amountShift: 60));

        await h.ReferenceAsync(model, Baseline(2_000));
        var summary = h.Summaries.GetSummary(model.Id, SummaryWindow.OneHour)!;

        Assert.Equal(1_500, summary.Traffic.Predictions);
        Assert.True(summary.Drift.Features.Single(f => f.Feature == "amount").Drifted);
        Assert.Equal(1_500, summary.Drift.Features.Single(f => f.Feature == "amount").CurrentSize);
    }

    [Fact]
    public async Task Binary_performance_from_buckets_matches_the_metrics_on_raw_pairs()
    {
        await using var h = await WindowHarness.StartAsync();
        var model = h.Model(ModelTask.BinaryClassification);
        var traffic = Traffic(1_000);
        await h.PredictAsync(model, traffic);
        var random = new Random(9);
        var labelled = traffic.Where((_, i) => i % 2 == 0).Select(t => (t.Id, Label: random.NextDouble() < (double)t.Value ? 1 : 0)).ToList();
        await h.LabelAsync(model, labelled.Select(l => (l.Id, (object)l.Label)));

        var performance = h.Summaries.GetSummary(model.Id, SummaryWindow.OneHour)!.Performance;
        var scores = labelled.Select(l => (double)traffic.Single(t => t.Id == l.Id).Value).ToArray();
        var expected = BinaryClassification.Evaluate(scores, labelled.Select(l => l.Label == 1).ToArray());

        Assert.Equal(500, performance.Labeled);
        Assert.Equal(0.5, performance.Coverage);
        var binary = performance.Binary!;
        Assert.Equal(expected.Accuracy.Value!.Value, binary.Accuracy!.Value, 9);
        Assert.Equal(expected.Precision.Value!.Value, binary.Precision!.Value, 9);
        Assert.Equal(expected.Recall.Value!.Value, binary.Recall!.Value, 9);
        Assert.Equal(expected.F1.Value!.Value, binary.F1!.Value, 9);
        Assert.Equal(expected.LogLoss.Value!.Value, binary.LogLoss!.Value, 9);
        Assert.InRange(binary.RocAuc!.Value, expected.RocAuc.Value!.Value - 0.005, expected.RocAuc.Value!.Value + 0.005);
        Assert.Equal(expected.Confusion.TruePositives, binary.TruePositives);
        Assert.Equal(expected.Confusion.FalsePositives, binary.FalsePositives);
    }

    [Fact]
    public async Task Labels_that_arrive_before_their_predictions_are_joined_when_the_predictions_come()
    {
        await using var h = await WindowHarness.StartAsync();
        var model = h.Model(ModelTask.BinaryClassification);
        await h.LabelAsync(model, [("early-1", 1), ("early-2", 0)]);
        Assert.Equal(0, h.Summaries.GetSummary(model.Id, SummaryWindow.OneHour)!.Performance.Labeled);

        await h.PredictAsync(model, [new Prediction("early-1", 10, "DE", 0.9), new Prediction("early-2", 10, "DE", 0.2), new Prediction("other", 10, "DE", 0.4)]);
        var performance = h.Summaries.GetSummary(model.Id, SummaryWindow.OneHour)!.Performance;

        Assert.Equal(2, performance.Labeled);
        Assert.Equal(1.0, performance.Binary!.Accuracy);
    }

    [Fact]
    public async Task Without_labels_performance_is_awaiting_labels_not_zero()
    {
        await using var h = await WindowHarness.StartAsync();
        var model = h.Model(ModelTask.BinaryClassification);
        await h.PredictAsync(model, Traffic(5));

        var performance = h.Summaries.GetSummary(model.Id, SummaryWindow.OneHour)!.Performance;

        Assert.Null(performance.Binary);
        Assert.Equal(0, performance.Coverage);
        Assert.StartsWith("Awaiting labels", performance.Reason);
    }

    [Fact]
    public async Task Multiclass_and_regression_metrics_match_the_metrics_on_raw_pairs()
    {
        await using var h = await WindowHarness.StartAsync();
        var router = h.Model(ModelTask.MulticlassClassification, id: "ticket-router");
        var forecast = h.Model(ModelTask.Regression, id: "demand-forecast");
        string[] classes = ["billing", "technical", "account"];
        var random = new Random(4);
        var predicted = Enumerable.Range(0, 300).Select(i => classes[random.Next(3)]).ToList();
        var actual = predicted.Select(p => random.NextDouble() < 0.7 ? p : classes[random.Next(3)]).ToList();
        await h.PredictAsync(router, predicted.Select((p, i) => new Prediction("t" + i, 1, "DE", p)));
        await h.LabelAsync(router, actual.Select((a, i) => ("t" + i, (object)a)));
        var yHat = Enumerable.Range(0, 300).Select(_ => random.NextDouble() * 50).ToArray();
        var y = yHat.Select((v, i) => i % 50 == 0 ? 0 : v + random.NextDouble() * 10 - 5).ToArray();
        await h.PredictAsync(forecast, yHat.Select((v, i) => new Prediction("f" + i, 1, "DE", v)));
        await h.LabelAsync(forecast, y.Select((v, i) => ("f" + i, (object)v)));

        var multi = h.Summaries.GetSummary(router.Id, SummaryWindow.OneHour)!.Performance.Multiclass!;
        var expectedMulti = MulticlassClassification.Evaluate(predicted, actual);
        Assert.Equal(expectedMulti.Accuracy.Value!.Value, multi.Accuracy!.Value, 9);
        Assert.Equal(expectedMulti.MacroF1.Value!.Value, multi.MacroF1!.Value, 9);
        Assert.Equal(expectedMulti.WeightedF1.Value!.Value, multi.WeightedF1!.Value, 9);
        Assert.Equal(300, multi.ConfusionMatrix.Sum(row => row.Sum()));

        var regression = h.Summaries.GetSummary(forecast.Id, SummaryWindow.OneHour)!.Performance.Regression!;
        var expected = ModelWatch.Engine.Statistics.Performance.Regression.Evaluate(yHat, y);
        Assert.Equal(expected.MeanAbsoluteError.Value!.Value, regression.Mae!.Value, 9);
        Assert.Equal(expected.RootMeanSquaredError.Value!.Value, regression.Rmse!.Value, 9);
        Assert.Equal(expected.R2.Value!.Value, regression.R2!.Value, 9);
        Assert.Equal(expected.MeanAbsolutePercentageError.Value!.Value, regression.Mape!.Value, 9);
        Assert.Equal(6, regression.MapeSkippedZeroLabels);
    }

    [Fact]
    public async Task Data_quality_rates_come_from_the_counted_problems()
    {
        await using var h = await WindowHarness.StartAsync();
        var model = h.Model(ModelTask.BinaryClassification);
        await h.PredictAsync(model, [new Prediction("a", 2_000, "DE", 0.1), new Prediction("b", 10, "XX", 0.1), new Prediction("c", 10, "DE", 0.1), new Prediction("d", 10, "FR", 0.1)]);

        var quality = h.Summaries.GetSummary(model.Id, SummaryWindow.OneHour)!.Quality;

        Assert.Equal(0.25, quality.Single(q => q.Feature == "amount").OutOfBoundsRate);
        Assert.Equal(0.25, quality.Single(q => q.Feature == "country").UnknownCategoryRate);
        Assert.Equal(0, quality.Single(q => q.Feature == "amount").MissingRate);
    }

    [Fact]
    public async Task Operational_samples_and_cost_records_feed_system_error_rate_and_spend()
    {
        await using var h = await WindowHarness.StartAsync();
        var model = h.Model(ModelTask.BinaryClassification, budget: 300);
        await h.PredictAsync(model, Traffic(96));
        var at = h.Clock.GetUtcNow().ToString("O");
        await h.MetricsAsync(model, $$"""{ "samples": [ { "timestamp": "{{at}}", "cpuPercent": 40, "memoryMb": 800, "errors": 4 }, { "timestamp": "{{at}}", "cpuPercent": 60, "memoryMb": 900 } ], "costs": [ { "timestamp": "{{at}}", "amountUsd": 10, "item": "gpu-node-hour" } ] }""");

        var summary = h.Summaries.GetSummary(model.Id, SummaryWindow.OneHour)!;

        Assert.Equal(50, summary.System.CpuPercent);
        Assert.Equal(850, summary.System.MemoryMb);
        Assert.Equal(4, summary.Traffic.Errors);
        Assert.Equal(0.04, summary.Traffic.ErrorRate!.Value, 9);
        Assert.Equal(10.096, summary.Cost.Total, 9);
        Assert.Equal(10.096 / 300, summary.Cost.BudgetUsedShare!.Value, 9);
        Assert.Null(summary.Cost.ProjectedMonthEnd); // all of it spent this instant: no run rate yet

        // An hour later the run rate is $10.096 an hour, carried on to 1 December.
        h.Clock.Advance(TimeSpan.FromHours(1));
        var later = h.Summaries.GetSummary(model.Id, SummaryWindow.OneDay)!;
        var hoursLeft = (new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero) - h.Clock.GetUtcNow()).TotalHours;
        Assert.Equal(10.096 + 10.096 * hoursLeft, later.Cost.ProjectedMonthEnd!.Value, 6);
    }

    [Fact]
    public async Task A_restarted_engine_rebuilds_the_same_summary_from_stored_events()
    {
        var database = new TempDatabase { KeepFile = true };
        ModelSummary before;
        await using (var h = await WindowHarness.StartAsync(database))
        {
            var model = h.Model(ModelTask.BinaryClassification, budget: 50);
            await h.ReferenceAsync(model, Baseline(500));
            await h.PredictAsync(model, Traffic(800, amountShift: 30));
            await h.LabelAsync(model, Enumerable.Range(0, 400).Select(i => ("p-" + i, (object)(i % 2))));
            before = h.Summaries.GetSummary(model.Id, SummaryWindow.OneHour)!;
        }
        database.KeepFile = false;
        await using var restarted = await WindowHarness.StartAsync(database);

        var after = restarted.Summaries.GetSummary("fraud-detector", SummaryWindow.OneHour)!;

        Assert.Equal(before.Traffic.Predictions, after.Traffic.Predictions);
        Assert.Equal(before.Performance.Labeled, after.Performance.Labeled);
        Assert.Equal(before.Performance.Binary!.Accuracy, after.Performance.Binary!.Accuracy);
        Assert.Equal(before.Latency.P99, after.Latency.P99);
        Assert.Equal(before.Cost.MonthToDate, after.Cost.MonthToDate, 9);
        Assert.Equal(before.Drift.Features.Select(f => f.Value), after.Drift.Features.Select(f => f.Value));
        Assert.Equal(before.Quality, after.Quality);
    }

    [Fact]
    public async Task Timeline_steps_add_up_to_the_window()
    {
        await using var h = await WindowHarness.StartAsync();
        var model = h.Model(ModelTask.BinaryClassification);
        await h.PredictAsync(model, Traffic(30).Select(p => p with { At = WindowHarness.Start.AddMinutes(-3) }));
        await h.PredictAsync(model, Traffic(20, prefix: "n-"));

        var timeline = h.Summaries.GetTimeline(model.Id, SummaryWindow.FiveMinutes)!;

        Assert.Equal(5, timeline.Points.Count);
        Assert.Equal(50, timeline.Points.Sum(p => p.Predictions));
        Assert.Equal(30, timeline.Points.Single(p => p.Time == new DateTimeOffset(2026, 11, 23, 11, 57, 0, TimeSpan.Zero)).Predictions);
        Assert.Equal(20, timeline.Points[^1].Predictions);
        Assert.Null(timeline.Points[0].P95); // an empty step has no latency, not a zero
    }

    [Theory]
    [InlineData("5m", 0)]
    [InlineData("1h", 7)]
    [InlineData("24h", 13)]
    [InlineData("7d", 95)]
    public async Task The_latest_point_is_the_last_step_of_the_timeline(string windowName, int minutesLater)
    {
        await using var h = await WindowHarness.StartAsync();
        var model = h.Model(ModelTask.BinaryClassification);
        await h.PredictAsync(model, Traffic(30).Select(p => p with { At = WindowHarness.Start.AddMinutes(-3) }));
        await h.PredictAsync(model, Traffic(20, prefix: "n-"));
        h.Clock.Advance(TimeSpan.FromMinutes(minutesLater)); // part-way into a step, so alignment matters
        Assert.True(SummaryWindows.TryParse(windowName, out var window));

        var last = h.Summaries.GetTimeline(model.Id, window)!.Points[^1];
        var latest = h.Summaries.GetLatestPoint(model.Id, window)!;

        Assert.Equal((last.Time, last.Predictions), (latest.Time, latest.Predictions));
    }

    [Fact]
    public async Task A_version_filter_keeps_other_versions_out()
    {
        await using var h = await WindowHarness.StartAsync();
        var model = h.Model(ModelTask.BinaryClassification);
        Assert.True(h.Registry.CreateVersion(model.Id, new NewVersion("2.0.0"), "test").IsOk);
        await h.PredictAsync(model, Traffic(12));

        Assert.Equal(12, h.Summaries.GetSummary(model.Id, SummaryWindow.OneHour, "1.0.0")!.Traffic.Predictions);
        Assert.Equal(0, h.Summaries.GetSummary(model.Id, SummaryWindow.OneHour, "2.0.0")!.Traffic.Predictions);
        Assert.Null(h.Summaries.GetSummary(model.Id, SummaryWindow.OneHour, "9.9.9"));
    }
}
