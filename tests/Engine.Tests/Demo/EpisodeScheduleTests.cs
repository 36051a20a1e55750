using ModelWatch.Engine.Demo;

namespace ModelWatch.Engine.Tests.Demo;

public class EpisodeScheduleTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);
    private static readonly EpisodeSchedule Schedule = new(DemoCatalog.Episodes, TimeSpan.FromMinutes(20), Start);

    [Theory]
    [InlineData(0, null)]
    [InlineData(119, null)]
    [InlineData(120, "fraud-detector")]
    [InlineData(419, "fraud-detector")]
    [InlineData(420, "churn-predictor")]
    [InlineData(659, "churn-predictor")]
    [InlineData(660, "ticket-router")]
    [InlineData(839, "ticket-router")]
    [InlineData(840, "demand-forecast")]
    [InlineData(1139, "demand-forecast")]
    [InlineData(1140, null)]
    [InlineData(1200 + 120, "fraud-detector")]
    [InlineData(3 * 1200 + 660, "ticket-router")]
    public void Episodes_switch_on_and_off_at_their_scheduled_times(int secondsAfterStart, string? model)
    {
        var active = Schedule.ActiveAt(Start + TimeSpan.FromSeconds(secondsAfterStart));

        Assert.Equal(model is null ? [] : [model], active.Select(e => e.ModelId));
    }

    [Fact]
    public void Something_is_happening_most_of_the_time()
    {
        var moments = Enumerable.Range(0, 120).Select(i => Start + TimeSpan.FromSeconds(10 * i)).ToList();

        var busy = moments.Count(t => Schedule.ActiveAt(t).Count > 0);

        Assert.InRange((double)busy / moments.Count, 0.8, 1.0);
    }

    [Fact]
    public void Each_episode_affects_only_its_model()
    {
        var spike = Start + TimeSpan.FromMinutes(12);
        var cost = Start + TimeSpan.FromMinutes(15);

        Assert.Equal(new EpisodeEffects(false, false, 4, 1), Schedule.EffectsFor("ticket-router", spike));
        Assert.Equal(EpisodeEffects.None, Schedule.EffectsFor("fraud-detector", spike));
        Assert.Equal(new EpisodeEffects(false, false, 1, 3), Schedule.EffectsFor("demand-forecast", cost));
        Assert.True(Schedule.EffectsFor("fraud-detector", Start + TimeSpan.FromMinutes(3)).FeatureDrift);
        Assert.True(Schedule.EffectsFor("churn-predictor", Start + TimeSpan.FromMinutes(8)).PredictionShift);
    }

    [Fact]
    public void A_shorter_cycle_keeps_the_same_shape()
    {
        var schedule = new EpisodeSchedule(DemoCatalog.Episodes, TimeSpan.FromMinutes(2), Start);

        Assert.Empty(schedule.ActiveAt(Start + TimeSpan.FromSeconds(11)));
        Assert.Equal(["fraud-detector"], schedule.ActiveAt(Start + TimeSpan.FromSeconds(12)).Select(e => e.ModelId));
        Assert.Equal(["fraud-detector"], schedule.ActiveAt(Start + TimeSpan.FromSeconds(132)).Select(e => e.ModelId));
    }
}
