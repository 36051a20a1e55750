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
}
