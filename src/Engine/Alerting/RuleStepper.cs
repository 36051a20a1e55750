using ModelWatch.Engine.Windows;

namespace ModelWatch.Engine.Alerting;

/// <summary>What one evaluation changed for its series, in the order an alert lives.</summary>
public enum Transition { None, BecamePending, PendingCancelled, Fired, Recovering, FiringAgain, Resolved }

/// <summary>
/// The state machine of one series, pure and shared by the live evaluator and the preview on history:
/// normal → pending (for) → firing → recovering (keepFiringFor) → normal, with noData, error and insufficient data.
/// </summary>
public static class RuleStepper
{
    /// <param name="tolerance">How far a look-back may miss its target: the evaluation interval (live) or the timeline step (preview).</param>
    public static Transition Step(AlertRule rule, SeriesState s, SeriesReading? reading, string? error, DateTimeOffset now, TimeSpan tolerance)
    {
        var before = (s.State, s.Recent, s.LastError);
        var transition = Decide(rule, s, reading, error, now, tolerance);
        s.Evaluations++;
        if (transition != Transition.None || before != (s.State, s.Recent, s.LastError)) s.Dirty = true;
        return transition;
    }

    private static Transition Decide(AlertRule rule, SeriesState s, SeriesReading? reading, string? error, DateTimeOffset now, TimeSpan tolerance)
    {
        if (error is not null)
        {
            s.LastError = error;
            return s.State.IsActive() ? Transition.None : Enter(s, AlertState.Error, now); // an active alert holds: a failing read is no verdict
        }
        s.LastError = null;
        if (reading is null || (reading.Value is null && reading.Samples == 0))
        {
            s.LastValue = null;
            // No traffic at all: an alert on a number that no longer exists recovers; a quiet series is noData.
            if (s.State is AlertState.Firing or AlertState.Recovering) return NotFailing(rule, s, now);
            var cancelled = s.State == AlertState.Pending;
            Enter(s, AlertState.NoData, now);
            return cancelled ? Transition.PendingCancelled : Transition.None;
        }
        s.LastValue = reading.Value;
        var signal = AlertSignals.Find(rule.Signal)!;
        var value = reading.Value;
        if (value is null || (signal.Samples != SampleBasis.None && reading.Samples < rule.MinSamples))
            return Insufficient(s, now);

        var breach = Breach(rule, s, value.Value, reading.Band, now, tolerance);
        Remember(rule, s, value.Value, now);
        if (breach is null) return Insufficient(s, now);

        var mask = rule.Condition.OfLast >= 63 ? long.MaxValue : (1L << rule.Condition.OfLast) - 1;
        s.Recent = ((s.Recent << 1) | (breach.Value ? 1L : 0L)) & mask;
        var failing = long.PopCount(s.Recent) >= rule.Condition.MinFailing;
        return failing ? Failing(rule, s, now) : NotFailing(rule, s, now);
    }

    private static Transition Failing(AlertRule rule, SeriesState s, DateTimeOffset now)
    {
        switch (s.State)
        {
            case AlertState.Firing: return Transition.None;
            case AlertState.Recovering: Enter(s, AlertState.Firing, now); return Transition.FiringAgain;
            case AlertState.Pending:
                if (now - s.StateSince < rule.For) return Transition.None;
                Enter(s, AlertState.Firing, now);
                return Transition.Fired;
            default:
                if (rule.For > TimeSpan.Zero) { Enter(s, AlertState.Pending, now); return Transition.BecamePending; }
                Enter(s, AlertState.Firing, now);
                return Transition.Fired;
        }
    }

    private static Transition NotFailing(AlertRule rule, SeriesState s, DateTimeOffset now)
    {
        switch (s.State)
        {
            case AlertState.Pending: Enter(s, AlertState.Normal, now); return Transition.PendingCancelled;
            case AlertState.Firing:
                if (rule.KeepFiringFor > TimeSpan.Zero) { Enter(s, AlertState.Recovering, now); return Transition.Recovering; }
                Enter(s, AlertState.Normal, now);
                return Transition.Resolved;
            case AlertState.Recovering:
                if (now - s.StateSince < rule.KeepFiringFor) return Transition.None;
                Enter(s, AlertState.Normal, now);
                return Transition.Resolved;
            default: return Enter(s, AlertState.Normal, now);
        }
    }

    /// <summary>Too few events or labels: no verdict, so an active alert holds where it is.</summary>
    private static Transition Insufficient(SeriesState s, DateTimeOffset now) =>
        s.State.IsActive() ? Transition.None : Enter(s, AlertState.InsufficientData, now);

    private static Transition Enter(SeriesState s, AlertState state, DateTimeOffset now)
    {
        if (s.State == state) return Transition.None;
        s.State = state;
        s.StateSince = now;
        return Transition.None;
    }

    /// <summary>Whether the value breaks the condition; null when a look-back has nothing to compare with yet.</summary>
    private static bool? Breach(AlertRule rule, SeriesState s, double value, LearnedBand? learned, DateTimeOffset now, TimeSpan tolerance)
    {
        var c = rule.Condition;
        switch (c.Type)
        {
            case ConditionType.Threshold:
                s.LastThreshold = rule.ThresholdText;
                return AlertCondition.Compare(value, c.Op, c.Value);
            case ConditionType.Relative:
            {
                var back = c.CompareTo == AlertCondition.WeekAgo ? TimeSpan.FromDays(7) : rule.Window.Length();
                var baseline = Lookup(s.History, now - back, Max(Spacing(rule), tolerance));
                if (baseline is null) return null;
                if (baseline.Value == 0) return value == 0 ? AlertCondition.Compare(0, c.Op, c.Value) : null;
                var change = (value - baseline.Value) / Math.Abs(baseline.Value) * 100;
                s.LastThreshold = $"{AlertCondition.OpText(c.Op)} {c.Value:G6}% vs {baseline.Value:G6} ({c.CompareTo})";
                return AlertCondition.Compare(change, c.Op, c.Value);
            }
            default:
            {
                double mean, sd;
                string source;
                if (c.LearnsFromReference)
                {
                    if (learned is null) return null; // no reference to learn from (yet)
                    (mean, sd, source) = (learned.Mean, learned.StandardDeviation, $"{learned.Chunks} chunks of the {learned.Reference}");
                }
                else
                {
                    var trailing = s.History.TakeLast(c.Trailing).Select(h => h.V).ToList();
                    if (trailing.Count < 3) return null; // the band is still learning
                    mean = trailing.Average();
                    sd = Math.Sqrt(trailing.Sum(v => (v - mean) * (v - mean)) / (trailing.Count - 1));
                    source = $"the last {trailing.Count} windows";
                }
                var (min, max) = AlertSignals.Range(rule.Signal, rule.Metric);
                var low = Math.Max(min, mean - c.K * sd);
                var high = Math.Min(max, mean + c.K * sd);
                s.LastThreshold = $"outside [{low:G4}, {high:G4}] (mean {mean:G4} ± {c.K:G3}σ of {source})";
                return (c.Direction != "below" && value > high) || (c.Direction != "above" && value < low);
            }
        }
    }

    /// <summary>Keeps the look-back samples a relative or band condition needs, thinned to one per spacing, bounded by retention.</summary>
    private static void Remember(AlertRule rule, SeriesState s, double value, DateTimeOffset now)
    {
        if (rule.Condition.Type == ConditionType.Threshold || rule.Condition.LearnsFromReference) return;
        var t = now.ToUnixTimeMilliseconds();
        var spacing = (long)Spacing(rule).TotalMilliseconds;
        if (s.History.Count > 0 && t - s.History[^1].T < spacing) return;
        s.History.Add(new HistorySample(t, value));
        var keepFrom = t - (long)Retention(rule).TotalMilliseconds;
        var drop = 0;
        while (drop < s.History.Count && s.History[drop].T < keepFrom) drop++;
        if (drop > 0) s.History.RemoveRange(0, drop);
        s.Dirty = true;
    }

    private static TimeSpan Spacing(AlertRule rule) => rule.Condition switch
    {
        { Type: ConditionType.Band } => rule.Window.Length(),
        { CompareTo: AlertCondition.WeekAgo } => TimeSpan.FromMinutes(15),
        _ => rule.Window.Length() / 6,
    };

    private static TimeSpan Retention(AlertRule rule) => rule.Condition switch
    {
        { Type: ConditionType.Band } c => rule.Window.Length() * (c.Trailing + 1),
        { CompareTo: AlertCondition.WeekAgo } => TimeSpan.FromDays(7) + TimeSpan.FromHours(1),
        _ => rule.Window.Length() * 2 + Spacing(rule),
    };

    private static double? Lookup(List<HistorySample> history, DateTimeOffset target, TimeSpan tolerance)
    {
        var t = target.ToUnixTimeMilliseconds() + 1000;
        var earliest = t - 1000 - (long)tolerance.TotalMilliseconds;
        for (var i = history.Count - 1; i >= 0; i--)
        {
            if (history[i].T > t) continue;
            return history[i].T >= earliest ? history[i].V : null;
        }
        return null;
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}
