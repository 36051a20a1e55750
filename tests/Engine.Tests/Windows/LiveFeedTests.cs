using ModelWatch.Engine.Live;
using ModelWatch.Engine.Registry;
using ModelWatch.Engine.Windows;

namespace ModelWatch.Engine.Tests.Windows;

public sealed class LiveFeedTests
{
    [Fact]
    public async Task A_subscriber_gets_one_update_per_round_however_many_batches_arrived()
    {
        await using var h = await WindowHarness.StartAsync();
        var model = h.Model(ModelTask.BinaryClassification);
        var updates = new List<LiveUpdate>();
        using var subscription = h.Live.Subscribe(model.Id, SummaryWindow.FiveMinutes, null, updates.Add);

        await h.PredictAsync(model, [new Prediction("a", 1, "DE", 0.5)]);
        await h.PredictAsync(model, [new Prediction("b", 1, "DE", 0.5)]);
        await h.PredictAsync(model, [new Prediction("c", 1, "DE", 0.5)]);
        h.Live.Tick();

        var update = Assert.Single(updates);
        Assert.Equal(3, update.Summary.Traffic.Predictions);
        Assert.Equal(3, update.Latest.Predictions);
    }

    [Fact]
    public async Task Quiet_models_are_not_recomputed_every_round_but_refresh_as_the_window_slides()
    {
        await using var h = await WindowHarness.StartAsync();
        var model = h.Model(ModelTask.BinaryClassification);
        var updates = new List<LiveUpdate>();
        using var subscription = h.Live.Subscribe(model.Id, SummaryWindow.FiveMinutes, null, updates.Add);
        h.Live.Tick(); // the first update of a new subscriber
        h.Live.Tick();
        Assert.Single(updates);

        h.Clock.Advance(TimeSpan.FromSeconds(6));
        h.Live.Tick();
        Assert.Equal(2, updates.Count);
    }

    [Fact]
    public async Task Disposed_subscriptions_get_nothing_more()
    {
        await using var h = await WindowHarness.StartAsync();
        var model = h.Model(ModelTask.BinaryClassification);
        var updates = new List<LiveUpdate>();
        var subscription = h.Live.Subscribe(model.Id, SummaryWindow.OneHour, null, updates.Add);
        subscription.Dispose();

        await h.PredictAsync(model, [new Prediction("a", 1, "DE", 0.5)]);
        h.Live.Tick();

        Assert.Empty(updates);
        Assert.Equal(0, h.Live.SubscriberCount);
    }

    [Fact]
    public async Task A_change_is_sent_as_soon_as_it_is_folded_but_a_topic_gets_at_most_one_update_per_interval()
    {
        await using var h = await WindowHarness.StartAsync();
        var model = h.Model(ModelTask.BinaryClassification);
        var updates = new List<LiveUpdate>();
        await h.Live.StartAsync(CancellationToken.None);
        using var subscription = h.Live.Subscribe(model.Id, SummaryWindow.FiveMinutes, null, u => { lock (updates) updates.Add(u); });
        await Received(1); // the first update of a new subscriber goes out at once, not on a tick

        h.Clock.Advance(LiveFeed.DefaultInterval);
        await h.PredictAsync(model, [new Prediction("a", 1, "DE", 0.5)]);
        await Received(2); // due, so sent as soon as the batch is folded, without the clock moving on
        Assert.Equal(1, updates[^1].Summary.Traffic.Predictions);

        // FlushAsync returns before the aggregator raises Changed, so wait for that event: only then has the feed
        // seen the batch and decided to hold it back, and "not sent" means something.
        var folds = 0;
        h.Buckets.Changed += _ => Interlocked.Increment(ref folds);
        await h.PredictAsync(model, [new Prediction("b", 1, "DE", 0.5)]);
        for (var i = 0; i < 500 && Volatile.Read(ref folds) == 0; i++) await Task.Delay(10);
        Assert.Equal(1, Volatile.Read(ref folds));
        h.Clock.Advance(LiveFeed.DefaultInterval / 2);
        Assert.Equal(2, Count()); // not due yet: held back and coalesced
        h.Clock.Advance(LiveFeed.DefaultInterval / 2);
        await Received(3);
        Assert.Equal(2, updates[^1].Summary.Traffic.Predictions);
        await h.Live.StopAsync(CancellationToken.None);

        // The bucket aggregator raises Changed on its own thread: wait for it without moving the clock.
        async Task Received(int count)
        {
            for (var i = 0; i < 500 && Count() < count; i++) await Task.Delay(10);
            Assert.Equal(count, Count());
        }
        int Count() { lock (updates) return updates.Count; }
    }
}
