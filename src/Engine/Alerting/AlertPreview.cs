using ModelWatch.Engine.Live;
using ModelWatch.Engine.Registry;
using ModelWatch.Engine.Windows;

namespace ModelWatch.Engine.Alerting;

public sealed record PreviewPoint(DateTimeOffset Time, double? Value, string State);

public sealed record PreviewSpan(DateTimeOffset StartsAt, DateTimeOffset? EndsAt);

/// <summary>One series' metric over history with the spans in which the rule would have fired.</summary>
public sealed record PreviewSeries(string Model, string? Feature, IReadOnlyList<PreviewPoint> Points, IReadOnlyList<PreviewSpan> Firing);

public sealed record PreviewResult(DateTimeOffset From, DateTimeOffset To, TimeSpan Step, string Note, IReadOnlyList<PreviewSeries> Series)
{
    public int FiringSpans => Series.Sum(s => s.Firing.Count);
}

/// <summary>
/// Tries a rule on stored history before it is saved: the model's timeline (the same merged buckets as the panels) is
/// walked step by step through the same state machine the live evaluator runs, each step standing for one evaluation.
/// </summary>
public sealed class AlertPreview(ISummaryReader summaries, RegistryStore registry, TimeProvider clock, ReferenceBands? bands = null)
{
    public const int MaxModels = 50;
    public const int MaxSeries = 200;

    public Outcome<PreviewResult> Run(AlertRule rule, DateTimeOffset? from, DateTimeOffset? to)
    {
        if (!SignalReader.InTimeline(rule.Signal, rule.Metric))
            return Outcome<PreviewResult>.Invalid("metric", $"Metric '{rule.Metric}' of signal '{rule.Signal}' is not kept in the stored timeline, so it cannot be tried on history; " +
                "preview supports latency p50/p95/p99, errorRate, throughput, cost windowTotal/per1k, performance accuracy/mae, labelCoverage, datasetDrift, featureDrift value, dataQuality and noData.");
        var now = clock.GetUtcNow();
        var end = to ?? now;
        var start = from ?? end - TimeSpan.FromDays(7);
        if (start >= end) return Outcome<PreviewResult>.Invalid("from", "'from' must be before 'to'.");
        if (start < now - TimeSpan.FromDays(7))
            return Outcome<PreviewResult>.Invalid("from", "History for preview reaches back 7 days; choose 'from' within the last 7 days.");
        // The finest stored timeline that covers the range: each step is one evaluation of the rule.
        var window = (now - start) <= TimeSpan.FromHours(1) ? SummaryWindow.OneHour : (now - start) <= TimeSpan.FromDays(1) ? SummaryWindow.OneDay : SummaryWindow.SevenDays;
        var models = rule.Model is { } id ? [registry.FindModel(id)!] : registry.ListModels().Where(m => m.TeamId == rule.Team).Take(MaxModels).ToList();
        var series = new List<PreviewSeries>();
        TimeSpan step = window.Step();
        foreach (var model in models)
        {
            var timeline = summaries.GetTimeline(model.Id, window);
            if (timeline is null) continue;
            step = timeline.Step;
            var states = new Dictionary<string, (SeriesState State, List<PreviewPoint> Points, List<PreviewSpan> Spans)>();
            foreach (var point in timeline.Points.Where(p => p.Time >= start - step && p.Time < end))
            {
                var at = point.Time + step; // a step's numbers are known when it ends
                foreach (var read in SignalReader.Read(rule, point, step))
                {
                    var reading = rule.Condition.LearnsFromReference && bands is not null ? read with { Band = bands.For(rule, model, read.Feature) } : read;
                    var key = reading.Feature ?? "";
                    if (!states.TryGetValue(key, out var s))
                    {
                        if (states.Count >= MaxSeries) continue;
                        states[key] = s = (new SeriesState { StateSince = at }, [], []);
                    }
                    var transition = RuleStepper.Step(rule, s.State, reading, null, at, step);
                    if (transition is Transition.Fired) s.Spans.Add(new PreviewSpan(at, null));
                    if (transition is Transition.Resolved && s.Spans.Count > 0) s.Spans[^1] = s.Spans[^1] with { EndsAt = at };
                    s.Points.Add(new PreviewPoint(at, reading.Value, s.State.State.ToName()));
                }
            }
            foreach (var (feature, s) in states.OrderBy(s => s.Key, StringComparer.Ordinal))
                series.Add(new PreviewSeries(model.Id, feature == "" ? null : feature, s.Points, s.Spans));
        }
        var note = $"Evaluated on the stored {window.ToName()} timeline: one evaluation per {Durations.Format(step)} step (its numbers are that step's, not a sliding {rule.Window.ToName()} window); " +
                   "'for' and 'keepFiringFor' count in steps.";
        return Outcome<PreviewResult>.Ok(new PreviewResult(start, end, step, note, series));
    }
}
