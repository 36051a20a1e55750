using Microsoft.Extensions.Time.Testing;
using ModelWatch.Engine.Windows;
using ModelWatch.Portal.Components.ViewModels;

namespace ModelWatch.Portal.Tests.Components;

public class ViewModelTests
{
    [Fact]
    public void Page_state_round_trips_through_the_query_and_leaves_defaults_out()
    {
        var state = PageState.FromUri("http://localhost/models/fraud-detector?window=24h&version=1.1.0&tab=drift");

        Assert.Equal(new PageState(SummaryWindow.OneDay, "1.1.0", ModelTab.Drift), state);
        Assert.Equal("?window=24h&version=1.1.0&tab=drift", state.ToQuery());
        Assert.Equal("", PageState.From(null, null, null).ToQuery());
        Assert.Null(PageState.From(null, null, "nonsense").Tab);
        Assert.Null(PageState.From(null, null, "3").Tab);
    }

    [Fact]
    public void Default_tab_follows_the_viewers_concern()
    {
        Assert.Equal(ModelTab.Drift, ModelTabs.DefaultFor(ViewKind.Quality));
        Assert.Equal(ModelTab.Latency, ModelTabs.DefaultFor(ViewKind.Operations));
    }

    [Fact]
    public void Throttle_flushes_the_first_item_at_once_and_coalesces_the_rest_until_the_interval_passes()
    {
        var clock = new FakeTimeProvider();
        var batches = new List<IReadOnlyList<int>>();
        using var throttle = new LiveThrottle<int>(clock, TimeSpan.FromMilliseconds(250), b => { batches.Add(b); return Task.CompletedTask; });

        for (var i = 1; i <= 5; i++) throttle.Post(i);
        Assert.Equal([[1]], batches);

        clock.Advance(TimeSpan.FromMilliseconds(200));
        throttle.Post(6);
        Assert.Single(batches);

        clock.Advance(TimeSpan.FromMilliseconds(50));
        Assert.Equal([2, 3, 4, 5, 6], batches[1]);

        clock.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(2, batches.Count); // nothing pending, nothing flushed
        throttle.Post(7);
        Assert.Equal([7], batches[2]); // quiet for longer than the interval: straight through
    }

    [Fact]
    public void A_disposed_throttle_drops_what_is_pending()
    {
        var clock = new FakeTimeProvider();
        var flushed = 0;
        var throttle = new LiveThrottle<int>(clock, TimeSpan.FromMilliseconds(250), _ => { flushed++; return Task.CompletedTask; });
        throttle.Post(1);
        throttle.Post(2);

        throttle.Dispose();
        clock.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(1, flushed);
    }

    [Fact]
    public void Timeline_buffer_replaces_the_filling_step_appends_new_ones_and_caps_its_length()
    {
        var t0 = SampleData.Now;
        var buffer = new TimelineBuffer([SampleData.Point(t0), SampleData.Point(t0.AddMinutes(1))], capacity: 3);

        Assert.Equal(TimelineChange.Replaced, buffer.Apply(SampleData.Point(t0.AddMinutes(1), p95: 999)));
        Assert.Equal(999, buffer.Last!.P95);
        Assert.Equal(TimelineChange.Appended, buffer.Apply(SampleData.Point(t0.AddMinutes(2))));
        Assert.Equal(TimelineChange.Appended, buffer.Apply(SampleData.Point(t0.AddMinutes(3))));
        Assert.Equal(3, buffer.Points.Count);
        Assert.Equal(t0.AddMinutes(1), buffer.Points[0].Time);
        Assert.Equal(TimelineChange.Ignored, buffer.Apply(SampleData.Point(t0)));
        Assert.Equal(3, buffer.Revision);
    }

    [Fact]
    public void Latency_health_compares_p95_with_the_slo()
    {
        Assert.Equal(Health.Good, FleetCards.Latency(new LatencySummary(10, 10, 20, 100, 150, 200, false)).Health);
        Assert.Equal(Health.Warning, FleetCards.Latency(new LatencySummary(10, 10, 20, 170, 190, 200, false)).Health);
        Assert.Equal(Health.Bad, FleetCards.Latency(new LatencySummary(10, 10, 20, 250, 300, 200, true)).Health);
        Assert.Equal(Health.Unknown, FleetCards.Latency(new LatencySummary(10, 10, 20, 250, 300, null, null)).Health);
    }

    [Fact]
    public void Confusion_matrix_of_a_binary_model_puts_labels_in_rows()
    {
        var matrix = ConfusionMatrixView.From(SampleData.Summary().Performance)!;

        Assert.Equal(["0", "1"], matrix.Classes);
        Assert.Equal([4000L, 300L], matrix.Counts[0]);
        Assert.Equal([218L, 1482L], matrix.Counts[1]);
        Assert.Equal(6000, matrix.Total);
    }

    [Fact]
    public void Missing_numbers_read_as_a_dash_never_as_nan()
    {
        Assert.Equal("—", Format.Percent(null));
        Assert.Equal("—", Format.Number(double.NaN));
        Assert.Equal("12.5 %", Format.Percent(0.125));
        Assert.Equal("1,234 ms", Format.Ms(1234));
        Assert.Equal("$1,234", Format.Usd(1234.4));
    }
}

public class SharedTimelinesTests
{
    [Fact]
    public void Pages_opening_the_same_view_within_the_max_age_share_one_timeline_then_it_is_read_again()
    {
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(new DateTimeOffset(2026, 3, 2, 12, 0, 0, TimeSpan.Zero));
        var summaries = new FakeSummaries();
        summaries.Timelines["fraud-detector"] = SampleData.Timeline();
        var shared = new SharedTimelines(summaries, clock);

        var first = shared.Get("fraud-detector", Engine.Windows.SummaryWindow.OneHour, null);
        clock.Advance(SharedTimelines.MaxAge / 2);
        var second = shared.Get("fraud-detector", Engine.Windows.SummaryWindow.OneHour, null);
        var otherWindow = shared.Get("fraud-detector", Engine.Windows.SummaryWindow.OneDay, null);
        clock.Advance(SharedTimelines.MaxAge);
        var later = shared.Get("fraud-detector", Engine.Windows.SummaryWindow.OneHour, null);

        Assert.Same(first, second);
        Assert.Equal(3, summaries.TimelineReads); // first, the other window, and after the max age
        Assert.NotNull(otherWindow);
        Assert.NotNull(later);
    }
}
