using ModelWatch.Engine.Alerting;
using ModelWatch.Portal.Components.ViewModels;
using Plotly.Blazor;
using Plotly.Blazor.LayoutLib;
using Plotly.Blazor.Traces;
using Plotly.Blazor.Traces.ScatterLib;
using PlotLayout = Plotly.Blazor.Layout;

namespace ModelWatch.Portal.Components.Alerting;

/// <summary>The preview chart: the metric series the rule saw, the spans in which it would have fired shaded red, and the threshold.</summary>
public static class PreviewCharts
{
    /// <summary>Per-feature rules can have many series; the chart draws those that fired first, up to this many.</summary>
    public const int MaxSeriesDrawn = 8;
    private const string FiringFill = "rgba(211,47,47,0.16)";

    public static IReadOnlyList<PreviewSeries> Drawn(PreviewResult result) =>
        result.Series.OrderByDescending(s => s.Firing.Count).ThenBy(s => s.Feature, StringComparer.Ordinal).Take(MaxSeriesDrawn).ToList();

    public static IList<ITrace> Traces(PreviewResult result) =>
        Drawn(result).Select((s, i) => (ITrace)new Scatter
        {
            Name = Charts.PlotText(s.Feature ?? s.Model),
            Mode = ModeFlag.Lines | ModeFlag.Markers,
            Marker = new Marker { Size = 3, Color = Charts.Palette[i % Charts.Palette.Length] },
            X = s.Points.Select(p => (object)p.Time.UtcDateTime).ToList(),
            Y = s.Points.Select(p => (object?)p.Value).ToList()!,
            ConnectGaps = false,
            Line = new Line { Color = Charts.Palette[i % Charts.Palette.Length], Width = 2 },
        }).ToList();

    public static PlotLayout Layout(PreviewResult result, AlertRuleSpec rule, string yTitle)
    {
        var layout = Charts.TimeLayout(yTitle);
        var shapes = Drawn(result).SelectMany(s => s.Firing).Select(span => FiringSpan(span.StartsAt, span.EndsAt ?? result.To)).ToList();
        if (rule.Condition is { Type: "threshold", Value: { } value } && value.TryGetDouble(out var threshold))
            shapes.Add(new Shape
            {
                Type = Plotly.Blazor.LayoutLib.ShapeLib.TypeEnum.Line,
                XRef = "paper", YRef = "y", X0 = 0, X1 = 1, Y0 = threshold, Y1 = threshold,
                Line = new Plotly.Blazor.LayoutLib.ShapeLib.Line { Color = "#d32f2f", Width = 1, Dash = "dash" },
            });
        layout.Shapes = shapes;
        return layout;
    }

    private static Shape FiringSpan(DateTimeOffset from, DateTimeOffset to) => new()
    {
        Type = Plotly.Blazor.LayoutLib.ShapeLib.TypeEnum.Rect,
        XRef = "x", YRef = "paper", X0 = from.UtcDateTime, X1 = to.UtcDateTime, Y0 = 0, Y1 = 1,
        FillColor = FiringFill,
        Line = new Plotly.Blazor.LayoutLib.ShapeLib.Line { Width = 0 },
        Layer = Plotly.Blazor.LayoutLib.ShapeLib.LayerEnum.Below,
    };
}
