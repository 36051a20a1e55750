using ModelWatch.Engine.Windows;
using Plotly.Blazor;
using Plotly.Blazor.Traces;

namespace ModelWatch.Portal.Components.ViewModels;

/// <summary>
/// Features × time: one row per feature (the drift table's order), one column per completed timeline step, each cell
/// the feature's drift in that step as a multiple of its threshold, so features measured by different methods share one
/// colour scale (1 = at the threshold, above = drifted). A step without data for a feature is null: a gap, never zero.
/// The step still filling is left out: a few seconds of traffic would read as a verdict.
/// </summary>
public sealed record DriftHeatmap(IReadOnlyList<string> Features, IReadOnlyList<DateTimeOffset> Times, IReadOnlyList<IReadOnlyList<double?>> Scores,
    IReadOnlyList<IReadOnlyList<string>> Hover)
{
    /// <summary>Scores are drawn up to twice the threshold; beyond it the cell is simply "far over".</summary>
    public const double MaxScore = 2;

    public bool IsEmpty => Features.Count == 0 || Times.Count == 0;

    public static DriftHeatmap From(IReadOnlyList<TimelinePoint> points, IReadOnlyList<FeatureDrift> features)
    {
        var rows = DriftRows.DefaultOrder(features);
        // Steps before any feature has a value are the time before the deployment's history: left out, as the charts say "history starts".
        var steps = points.Where(p => !p.Partial).SkipWhile(p => !rows.Any(f => p.FeatureDrift.TryGetValue(f.Feature, out var v) && v is not null)).ToList();
        var scores = new List<IReadOnlyList<double?>>(rows.Count);
        var hover = new List<IReadOnlyList<string>>(rows.Count);
        foreach (var feature in rows)
        {
            var rowScores = new List<double?>(steps.Count);
            var rowHover = new List<string>(steps.Count);
            foreach (var step in steps)
            {
                var value = step.FeatureDrift.TryGetValue(feature.Feature, out var v) ? v : null;
                var score = Score(feature.Method, value, feature.Threshold);
                rowScores.Add(score);
                rowHover.Add(HoverText(feature, step.Time, value, score));
            }
            scores.Add(rowScores);
            hover.Add(rowHover);
        }
        return new DriftHeatmap(rows.Select(f => f.Feature).ToList(), steps.Select(s => s.Time).ToList(), scores, hover);
    }

    /// <summary>
    /// The value as a multiple of the threshold, oriented so that ≥ 1 means drifted: a distance over its threshold, or a
    /// p-value (KS, chi-square) under it. Null when the step has no value.
    /// </summary>
    public static double? Score(string method, double? value, double threshold)
    {
        if (value is not { } v || double.IsNaN(v) || threshold <= 0) return null;
        var score = IsPValue(method) ? (v <= 0 ? MaxScore : threshold / v) : v / threshold;
        return Math.Min(MaxScore, score);
    }

    public static bool IsPValue(string method) => method is "ks" or "chiSquare";

    private static string HoverText(FeatureDrift feature, DateTimeOffset time, double? value, double? score)
    {
        var when = time.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", System.Globalization.CultureInfo.InvariantCulture);
        if (value is null) return $"{feature.Feature} · {when}: no data";
        var verdict = score >= 1 ? "drifted" : "no drift";
        var what = IsPValue(feature.Method) ? "p-value" : DriftRows.MethodName(feature.Method);
        return $"{feature.Feature} · {when}: {what} {Format.Number(value, 4)} (threshold {Format.Number(feature.Threshold, 2)}), {verdict}";
    }

    /// <summary>"14:05" within a day, "Dec 7 14:00" across days, "Dec 7" for daily steps (UTC, as the page says).</summary>
    private string Label(DateTimeOffset time)
    {
        var span = Times.Count > 1 ? Times[^1] - Times[0] : TimeSpan.Zero;
        var step = Times.Count > 1 ? Times[1] - Times[0] : TimeSpan.Zero;
        var format = step >= TimeSpan.FromDays(1) ? "MMM d" : span >= TimeSpan.FromDays(1) ? "MMM d HH:mm" : "HH:mm";
        return time.UtcDateTime.ToString(format, System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>One Plotly heatmap trace: light below the threshold, amber close to it, red from it on.</summary>
    public IList<ITrace> Traces() =>
    [
        new HeatMap
        {
            // Category labels, not a date axis: Plotly cannot size the cells of a heatmap with a single column on a date axis.
            X = Times.Select(t => (object)Label(t)).ToList(),
            Y = Features.Select(f => (object)Charts.PlotText(f)!).ToList(),
            Z = Scores.Select(row => (object)row.Select(s => (object?)s).ToList()).ToList(),
            Text = Hover.Select(row => (object)row.Select(h => (object)Charts.PlotText(h)!).ToList()).ToList(),
            HoverInfo = Plotly.Blazor.Traces.HeatMapLib.HoverInfoFlag.Text,
            ZMin = 0,
            ZMax = (decimal)MaxScore,
            XGap = 1,
            YGap = 1,
            ColorScale = new List<object>
            {
                new object[] { 0, "#eef4ea" }, new object[] { 0.35, "#cfe3c4" }, new object[] { 0.4999, "#ffcc80" },
                new object[] { 0.5, "#ef9a9a" }, new object[] { 1, "#b71c1c" },
            },
            ColorBar = new Plotly.Blazor.Traces.HeatMapLib.ColorBar
            {
                Title = new Plotly.Blazor.Traces.HeatMapLib.ColorBarLib.Title { Text = "× threshold" },
                TickVals = [0, 1, 2], TickText = ["0", "1 (drift)", "≥ 2"], Thickness = 10,
            },
        },
    ];
}
