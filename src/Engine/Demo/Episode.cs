namespace ModelWatch.Engine.Demo;

public enum EpisodeKind { FeatureDrift, PredictionShift, LatencySpike, CostJump }

/// <summary>A recurring incident on one model, placed in the cycle as fractions so that a shorter cycle keeps the shape.</summary>
public sealed record Episode(string ModelId, EpisodeKind Kind, double StartFraction, double LengthFraction, string Description, double Factor = 1)
{
    public TimeSpan StartIn(TimeSpan cycle) => cycle * StartFraction;

    public TimeSpan LengthIn(TimeSpan cycle) => cycle * LengthFraction;
}

/// <summary>How an episode changes a model's traffic at one moment.</summary>
public sealed record EpisodeEffects(bool FeatureDrift, bool PredictionShift, double LatencyFactor, double CostFactor)
{
    public static readonly EpisodeEffects None = new(false, false, 1, 1);

    public DemoConditions Conditions => new(FeatureDrift, PredictionShift);
}

/// <summary>Which episodes run at a given time: the schedule repeats every cycle, counted from the simulator's start.</summary>
public sealed class EpisodeSchedule(IReadOnlyList<Episode> episodes, TimeSpan cycle, DateTimeOffset start)
{
    public TimeSpan Cycle => cycle;

    public IReadOnlyList<Episode> Episodes => episodes;

    public IReadOnlyList<Episode> ActiveAt(DateTimeOffset now)
    {
        var phase = PhaseAt(now);
        return episodes.Where(e => phase >= e.StartIn(cycle) && phase < e.StartIn(cycle) + e.LengthIn(cycle)).ToList();
    }

    public EpisodeEffects EffectsFor(string modelId, DateTimeOffset now)
    {
        var effects = EpisodeEffects.None;
        foreach (var e in ActiveAt(now))
        {
            if (e.ModelId != modelId) continue;
            effects = e.Kind switch
            {
                EpisodeKind.FeatureDrift => effects with { FeatureDrift = true },
                EpisodeKind.PredictionShift => effects with { PredictionShift = true },
                EpisodeKind.LatencySpike => effects with { LatencyFactor = effects.LatencyFactor * e.Factor },
                _ => effects with { CostFactor = effects.CostFactor * e.Factor },
            };
        }
        return effects;
    }

    /// <summary>Time since the current cycle began; before the start counts as the start.</summary>
    public TimeSpan PhaseAt(DateTimeOffset now)
    {
        var elapsed = now - start;
        return elapsed <= TimeSpan.Zero ? TimeSpan.Zero : TimeSpan.FromTicks(elapsed.Ticks % cycle.Ticks);
    }
}
