using ModelWatch.Engine.Audit;
using Plotly.Blazor;
using Shape = Plotly.Blazor.LayoutLib.Shape;
using Plotly.Blazor.Traces;
using Plotly.Blazor.Traces.ScatterLib;

namespace ModelWatch.Portal.Components.ViewModels;

/// <summary>
/// The model's annotations as every time chart of its page draws them: a dotted vertical line per change and a marker
/// at the top of the chart whose tooltip says what changed. A new instance means new annotations: the charts redraw.
/// </summary>
public sealed class ChartAnnotations(IReadOnlyList<Annotation> items)
{
    public static readonly ChartAnnotations None = new([]);

    public IReadOnlyList<Annotation> Items { get; } = items;

    public static string Color(string kind) => kind switch
    {
        ModelAnnotations.Kinds.Promotion => "#8e24aa",
        ModelAnnotations.Kinds.Version => "#0288d1",
        ModelAnnotations.Kinds.Reference => "#00897b",
        ModelAnnotations.Kinds.Ownership => "#6d4c41",
        _ => "#8a8f98",
    };

    public IEnumerable<Shape> Lines() => Items.Select(a => new Shape
    {
        Type = Plotly.Blazor.LayoutLib.ShapeLib.TypeEnum.Line,
        XRef = "x", YRef = "paper",
        X0 = a.At.UtcDateTime, X1 = a.At.UtcDateTime, Y0 = 0, Y1 = 1,
        Line = new Plotly.Blazor.LayoutLib.ShapeLib.Line { Color = Color(a.Kind), Width = 1, Dash = "dot" },
        Layer = Plotly.Blazor.LayoutLib.ShapeLib.LayerEnum.Below,
    });

    /// <summary>The markers, on an invisible axis of their own (0–1) so that they sit at the top whatever the data's scale.</summary>
    public Scatter Markers(string axis) => new()
    {
        Name = "Changes",
        Mode = ModeFlag.Markers,
        X = Items.Select(a => (object)a.At.UtcDateTime).ToList(),
        Y = Items.Select(_ => (object)0.97).ToList(),
        YAxis = axis,
        HoverTextArray = Items.Select(a => Charts.PlotText(a.Text)!).ToList(),
        HoverInfo = HoverInfoFlag.Text,
        ShowLegend = false,
        Marker = new Marker { Symbol = Plotly.Blazor.Traces.ScatterLib.MarkerLib.SymbolEnum.TriangleDown, Size = 9, ColorArray = Items.Select(a => (object)Color(a.Kind)).ToList() },
    };
}
