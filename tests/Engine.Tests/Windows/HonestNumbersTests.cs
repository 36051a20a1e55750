using ModelWatch.Engine.Registry;
using ModelWatch.Engine.Statistics.Cost;
using ModelWatch.Engine.Statistics.Performance;
using ModelWatch.Engine.Tests.TestSupport;
using ModelWatch.Engine.Windows;

namespace ModelWatch.Engine.Tests.Windows;

/// <summary>Issue 12: no data is not zero, a filling step is not a drop, rates cover the span with data, few labels are not a metric, costs follow the present.</summary>
public sealed class HonestNumbersTests
{
    private static List<Prediction> Traffic(int count, string prefix = "p-", double score = 0.9, DateTimeOffset? at = null) =>
        Enumerable.Range(0, count).Select(i => new Prediction(prefix + i, 10 + i % 50, "DE", score, LatencyMs: 10, CostUsd: 0.001, At: at)).ToList();

    [Fact]
    public async Task Steps_before_the_first_event_have_no_throughput_or_spend_rather_than_zero()
    {
        await using var h = await WindowHarness.StartAsync(); // 12:00:30
        var model = h.Model(ModelTask.BinaryClassification);
        await h.PredictAsync(model, Traffic(30, at: WindowHarness.Start.AddMinutes(-2)));

        var timeline = h.Summaries.GetTimeline(model.Id, SummaryWindow.FiveMinutes)!;

        Assert.Equal(new DateTimeOffset(2026, 11, 23, 11, 58, 0, TimeSpan.Zero), timeline.HistoryStart);
        var before = timeline.Points.Where(p => p.Time < timeline.HistoryStart).ToList();
        Assert.NotEmpty(before);
        Assert.All(before, p => Assert.Null(p.EventsPerSecond));
        Assert.All(before, p => Assert.Null(p.CostUsd));
        // After the first event a quiet minute is a real zero: the model stopped sending.
        var quiet = timeline.Points.Single(p => p.Time == new DateTimeOffset(2026, 11, 23, 11, 59, 0, TimeSpan.Zero));
        Assert.Equal(0, quiet.EventsPerSecond);
    }

    [Fact]
    public async Task The_step_still_filling_averages_over_the_seconds_elapsed_so_it_does_not_dip()
    {
        await using var h = await WindowHarness.StartAsync(); // 12:00:30, half-way into the minute
        var model = h.Model(ModelTask.BinaryClassification);
        await h.PredictAsync(model, Traffic(60, at: WindowHarness.Start.AddMinutes(-1))); // 11:59: a full minute at 1 /s
        await h.PredictAsync(model, Traffic(30, prefix: "n-")); // 12:00, 30 s in: still 1 /s

        var points = h.Summaries.GetTimeline(model.Id, SummaryWindow.FiveMinutes)!.Points;
        var latest = h.Summaries.GetLatestPoint(model.Id, SummaryWindow.FiveMinutes)!;

        Assert.False(points[^2].Partial);
        Assert.Equal(1.0, points[^2].EventsPerSecond!.Value, 9);
        Assert.True(points[^1].Partial);
        Assert.Equal(1.0, points[^1].EventsPerSecond!.Value, 9);
        Assert.Equal(points[^1].EventsPerSecond, latest.EventsPerSecond);
        Assert.True(latest.Partial);
    }

    [Fact]
    public async Task On_a_long_window_the_first_step_averages_its_rate_over_the_part_with_data()
    {
        await using var h = await WindowHarness.StartAsync(); // 12:00:30; the 7d window's 3-hour step began at 12:00
        var model = h.Model(ModelTask.BinaryClassification);
        await h.PredictAsync(model, Traffic(600)); // 600 events in the 30 s since 12:00

        var summary = h.Summaries.GetSummary(model.Id, SummaryWindow.SevenDays)!;
        var last = h.Summaries.GetTimeline(model.Id, SummaryWindow.SevenDays)!.Points[^1];

        Assert.Equal(20, summary.Traffic.EventsPerSecond, 9);
        Assert.Equal(summary.Traffic.EventsPerSecond, last.EventsPerSecond!.Value, 9); // not 600 / 10,800 s
    }

    [Fact]
    public async Task Fewer_labels_than_the_minimum_show_too_few_labels_instead_of_a_metric()
    {
        await using var h = await WindowHarness.StartAsync();
        var model = h.Model(ModelTask.BinaryClassification);
        await h.PredictAsync(model, Traffic(40));
        await h.LabelAsync(model, Enumerable.Range(0, 12).Select(i => ("p-" + i, (object)1)));

        var performance = h.Summaries.GetSummary(model.Id, SummaryWindow.OneHour)!.Performance;
        var step = h.Summaries.GetTimeline(model.Id, SummaryWindow.OneHour)!.Points[^1];

        Assert.True(performance.TooFewLabels);
        Assert.Null(performance.HeadlineValue);
        Assert.Equal(30, performance.MinimumLabels);
        Assert.StartsWith("Too few labels: 12 of the 30", performance.Reason);
        Assert.Equal(12, step.Labeled);
        Assert.Null(step.PrimaryMetric); // the 100 % on twelve labels is not drawn
    }

    [Fact]
    public async Task Enough_labels_give_the_headline_with_a_Wilson_interval()
    {
        await using var h = await WindowHarness.StartAsync();
        var model = h.Model(ModelTask.BinaryClassification);
        await h.PredictAsync(model, Traffic(50)); // all scored 0.9: predicted positive
        await h.LabelAsync(model, Enumerable.Range(0, 50).Select(i => ("p-" + i, (object)(i < 25 ? 1 : 0))));

        var performance = h.Summaries.GetSummary(model.Id, SummaryWindow.OneHour)!.Performance;

        Assert.Equal("accuracy", performance.Headline); // balanced labels
        Assert.Equal(0.5, performance.HeadlineValue);
        Assert.Equal(WilsonInterval.Of(25, 50), performance.HeadlineInterval);
        Assert.InRange(performance.HeadlineInterval!.Low, 0.36, 0.37);
    }

    [Fact]
    public async Task An_imbalanced_binary_model_headlines_balanced_accuracy_unless_configured_otherwise()
    {
        await using var h = await WindowHarness.StartAsync();
        var model = h.Model(ModelTask.BinaryClassification);
        // 95 negatives all right, 5 positives all missed: accuracy 95 %, recall 0.
        await h.PredictAsync(model, Traffic(100, score: 0.1));
        await h.LabelAsync(model, Enumerable.Range(0, 100).Select(i => ("p-" + i, (object)(i < 5 ? 1 : 0))));

        var auto = h.Summaries.GetSummary(model.Id, SummaryWindow.OneHour)!.Performance;
        var configured = new SummaryService(h.Registry, h.Buckets, h.Baselines, h.Clock, h.DriftSettings,
            new MetricOptions { Headline = { [model.Id] = "f1" } }).GetSummary(model.Id, SummaryWindow.OneHour)!.Performance;

        Assert.Equal(0.95, auto.Binary!.Accuracy);
        Assert.Equal("balancedAccuracy", auto.Headline);
        Assert.Equal(0.5, auto.HeadlineValue);
        Assert.Equal("f1", configured.Headline);
        Assert.Equal(0, configured.HeadlineValue);
    }

    [Fact]
    public void A_headline_no_task_knows_stops_start_up_naming_the_key()
    {
        var result = new MetricOptionsValidation().Validate(null, new MetricOptions { Headline = { ["fraud-detector"] = "acuracy" } });

        Assert.True(result.Failed);
        Assert.Contains("Portal:Metrics:Headline:fraud-detector is 'acuracy'", result.FailureMessage);
    }

    [Fact]
    public async Task A_cost_jump_shows_in_the_projection_at_once_with_the_month_average_beside_it()
    {
        var monthStart = new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);
        await using var h = await WindowHarness.StartAsync(now: monthStart.AddDays(10));
        var model = h.Model(ModelTask.BinaryClassification, budget: 100);
        // Ten days at $2/day, then the last day at $6/day (×3).
        for (var day = 0; day < 10; day++)
            await h.MetricsAsync(model, $$"""{ "costs": [ { "timestamp": "{{monthStart.AddDays(day).ToString("O")}}", "amountUsd": 2, "item": "node" } ] }""");
        h.Clock.Advance(TimeSpan.FromDays(1));
        for (var hour = 0; hour < 24; hour++)
            await h.MetricsAsync(model, $$"""{ "costs": [ { "timestamp": "{{monthStart.AddDays(10).AddHours(hour).ToString("O")}}", "amountUsd": 0.25, "item": "node" } ] }""");

        var cost = h.Summaries.GetSummary(model.Id, SummaryWindow.OneHour)!.Cost;

        Assert.Equal(26, cost.MonthToDate, 9);
        Assert.Equal("24h", cost.RunRateWindow);
        Assert.InRange(cost.RunRatePerDay!.Value, 5.9, 6.1); // the last day's rate
        Assert.InRange(cost.ProjectedMonthEnd!.Value, 26 + 19 * 5.9, 26 + 19 * 6.1); // over the $100 budget
        Assert.InRange(cost.ProjectedFromMonthAverage!.Value, 26 / 11.0 * 30 - 0.5, 26 / 11.0 * 30 + 0.5); // ~$71: under it
    }

    [Fact]
    public void Without_enough_spending_the_projection_says_how_long_until_it_starts()
    {
        var now = new DateTimeOffset(2026, 11, 10, 12, 0, 0, TimeSpan.Zero);

        var young = CostProjection.Summarise(0.2m, 100, 0.2m, 100m, now, now.AddMinutes(-6), new RecentSpend(0.2m, TimeSpan.FromMinutes(6)));
        var never = CostProjection.Summarise(0m, 0, 0m, 100m, now, null, new RecentSpend(0m, TimeSpan.Zero));

        Assert.Null(young.ProjectedMonthEnd);
        Assert.Equal("Projection starts after 15 minutes of spending (9 min to go).", young.ProjectionNote);
        Assert.Equal("No spending yet: the projection starts after 15 minutes of it.", never.ProjectionNote);
    }

    [Theory]
    [InlineData(8, 10, 0.4902, 0.9433)]
    [InlineData(0, 10, 0.0, 0.2775)]
    [InlineData(10, 10, 0.7225, 1.0)]
    [InlineData(50, 100, 0.4038, 0.5962)]
    public void Wilson_intervals_match_the_textbook_values(long successes, long n, double low, double high)
    {
        var interval = WilsonInterval.Of(successes, n)!;

        Assert.Equal(low, interval.Low, 4);
        Assert.Equal(high, interval.High, 4);
        Assert.Null(WilsonInterval.Of(1, 0));
    }
}
