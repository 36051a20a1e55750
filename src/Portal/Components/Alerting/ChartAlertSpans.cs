using ModelWatch.Portal.Components.ViewModels;
using Plotly.Blazor.LayoutLib;

namespace ModelWatch.Portal.Components.Alerting;

/// <summary>
/// The spans in which a model's alerts fired, cascaded by the model page to every time chart inside it, so each
/// chart shades them without each panel passing them along.
/// </summary>
public sealed class ChartAlertSpans(IReadOnlyList<AlertSpan> spans, DateTimeOffset now)
{
    private const string Fill = "rgba(211,47,47,0.10)";

    public IReadOnlyList<AlertSpan> Spans => spans;

    /// <summary>One shaded band per span, labelled with the rule, cut to the chart's first point so it never widens the axis.</summary>
    public IEnumerable<Shape> Shapes(DateTimeOffset? chartStart) =>
        spans.Where(s => chartStart is null || (s.To ?? now) > chartStart).Select(s => new Shape
        {
            Type = Plotly.Blazor.LayoutLib.ShapeLib.TypeEnum.Rect,
            XRef = "x", YRef = "paper",
            X0 = (chartStart is { } start && s.From < start ? start : s.From).UtcDateTime, X1 = (s.To ?? now).UtcDateTime, Y0 = 0, Y1 = 1,
            FillColor = Fill,
            Line = new Plotly.Blazor.LayoutLib.ShapeLib.Line { Width = 0 },
            Layer = Plotly.Blazor.LayoutLib.ShapeLib.LayerEnum.Below,
            Label = new Plotly.Blazor.LayoutLib.ShapeLib.Label
            {
                Text = Charts.PlotText("alert: " + s.Name),
                TextPosition = Plotly.Blazor.LayoutLib.ShapeLib.LabelLib.TextPositionEnum.TopLeft,
                Font = new Plotly.Blazor.LayoutLib.ShapeLib.LabelLib.Font { Size = 9, Color = "#c62828" },
            },
        });
}
