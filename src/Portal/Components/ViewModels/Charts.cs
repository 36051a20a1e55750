using ModelWatch.Engine.Windows;
using Plotly.Blazor;
using PlotLayout = Plotly.Blazor.Layout;
using Plotly.Blazor.LayoutLib;
using Plotly.Blazor.Traces;
using Plotly.Blazor.Traces.ScatterLib;

namespace ModelWatch.Portal.Components.ViewModels;

/// <summary>
/// One line on a time chart: how to read its value from a timeline step, and how it looks. A sum over the step
/// (spend per step) is <see cref="PerStepSum"/>: the step still filling is left out, so it never reads as a drop.
/// </summary>
public sealed record SeriesSpec(string Name, Func<TimelinePoint, double?> Value, string? Color = null, bool Dashed = false, bool SecondaryAxis = false, bool Fill = false,
    bool PerStepSum = false, bool Primary = false)
{
    public double? ValueAt(TimelinePoint point) => PerStepSum && point.Partial ? null : Value(point);
}

/// <summary>Plotly layouts and traces shared by the panels. Transparent backgrounds and grey ink work in light and dark mode.</summary>
public static class Charts
{
    public const string Reference = "#8e99a8";
    public const string Current = "#3f51b5";
    public const string Warning = "#f57c00";
    public const string Bad = "#d32f2f";
    public static readonly string[] Palette = ["#3f51b5", "#00897b", "#f57c00", "#8e24aa", "#c2185b", "#7cb342", "#0288d1", "#6d4c41"];

    /// <summary>
    /// Percent ticks with as many decimals as the tick step needs and no trailing zeros: 0.02 %, 0.04 % rather than
    /// ".1%"'s repeated "0.0 %, 0.0 %, 0.1 %" (Plotly's steps are 1, 2 or 5 × 10^k, exact within four decimals).
    /// </summary>
    public const string RateTicks = ".4~%";

    private const string Ink = "#8a8f98";
    private const string Grid = "rgba(138,143,152,0.25)";

    public static Config Config(bool compact = false) => new()
    {
        Responsive = true,
        DisplayLogo = false,
        DisplayModeBar = compact ? Plotly.Blazor.ConfigLib.DisplayModeBarEnum.False : Plotly.Blazor.ConfigLib.DisplayModeBarEnum.Hover,
        // Sparklines stay interactive for their hover value only: no toolbar, no zoom (fixed ranges in the layout).
    };

    public static PlotLayout TimeLayout(string? yTitle, string? yFormat = null, string? y2Title = null, string? y2Format = null, bool compact = false)
    {
        var layout = Base(compact);
        layout.XAxis = [new XAxis { Type = Plotly.Blazor.LayoutLib.XAxisLib.TypeEnum.Date, GridColor = Grid, ShowGrid = !compact, Visible = !compact, FixedRange = compact, AutoMargin = Plotly.Blazor.LayoutLib.XAxisLib.AutoMarginFlag.True }];
        var y = new YAxis { GridColor = Grid, TickFormat = yFormat, Visible = !compact, FixedRange = compact, RangeMode = Plotly.Blazor.LayoutLib.YAxisLib.RangeModeEnum.ToZero, AutoMargin = Plotly.Blazor.LayoutLib.YAxisLib.AutoMarginFlag.True };
        if (yTitle is not null) y.Title = new Plotly.Blazor.LayoutLib.YAxisLib.Title { Text = PlotText(yTitle) };
        if (y2Title is null)
        {
            layout.YAxis = [y];
        }
        else
        {
            layout.YAxis = [y, new YAxis
            {
                Overlaying = "y", Side = Plotly.Blazor.LayoutLib.YAxisLib.SideEnum.Right, ShowGrid = false, TickFormat = y2Format,
                RangeMode = Plotly.Blazor.LayoutLib.YAxisLib.RangeModeEnum.ToZero, AutoMargin = Plotly.Blazor.LayoutLib.YAxisLib.AutoMarginFlag.True,
                Title = new Plotly.Blazor.LayoutLib.YAxisLib.Title { Text = PlotText(y2Title) },
            }];
        }
        return layout;
    }

    public static PlotLayout CategoryLayout(string? xTitle, string? yTitle, string? yFormat = null)
    {
        var layout = Base(false);
        layout.BarMode = BarModeEnum.Group;
        var x = new XAxis { GridColor = Grid, Type = Plotly.Blazor.LayoutLib.XAxisLib.TypeEnum.Category, AutoMargin = Plotly.Blazor.LayoutLib.XAxisLib.AutoMarginFlag.True };
        if (xTitle is not null) x.Title = new Plotly.Blazor.LayoutLib.XAxisLib.Title { Text = PlotText(xTitle) };
        var y = new YAxis { GridColor = Grid, TickFormat = yFormat, AutoMargin = Plotly.Blazor.LayoutLib.YAxisLib.AutoMarginFlag.True };
        if (yTitle is not null) y.Title = new Plotly.Blazor.LayoutLib.YAxisLib.Title { Text = PlotText(yTitle) };
        layout.XAxis = [x];
        layout.YAxis = [y];
        return layout;
    }

    public static PlotLayout HeatmapLayout(string xTitle, string yTitle)
    {
        var layout = Base(false);
        layout.XAxis = [new XAxis { Type = Plotly.Blazor.LayoutLib.XAxisLib.TypeEnum.Category, Side = Plotly.Blazor.LayoutLib.XAxisLib.SideEnum.Top, Title = new Plotly.Blazor.LayoutLib.XAxisLib.Title { Text = PlotText(xTitle) }, AutoMargin = Plotly.Blazor.LayoutLib.XAxisLib.AutoMarginFlag.True }];
        layout.YAxis = [new YAxis { Type = Plotly.Blazor.LayoutLib.YAxisLib.TypeEnum.Category, AutoRange = Plotly.Blazor.LayoutLib.YAxisLib.AutoRangeEnum.Reversed, Title = new Plotly.Blazor.LayoutLib.YAxisLib.Title { Text = PlotText(yTitle) }, AutoMargin = Plotly.Blazor.LayoutLib.YAxisLib.AutoMarginFlag.True }];
        return layout;
    }

    /// <summary>Rows of categories (first on top) over labelled time steps, hover per cell: the features × time drift heatmap.</summary>
    public static PlotLayout TimeHeatmapLayout()
    {
        var layout = Base(false);
        layout.HoverMode = HoverModeEnum.Closest;
        layout.ShowLegend = false;
        layout.XAxis = [new XAxis { Type = Plotly.Blazor.LayoutLib.XAxisLib.TypeEnum.Category, ShowGrid = false, NTicks = 12, AutoMargin = Plotly.Blazor.LayoutLib.XAxisLib.AutoMarginFlag.True }];
        layout.YAxis = [new YAxis { Type = Plotly.Blazor.LayoutLib.YAxisLib.TypeEnum.Category, AutoRange = Plotly.Blazor.LayoutLib.YAxisLib.AutoRangeEnum.Reversed, ShowGrid = false, AutoMargin = Plotly.Blazor.LayoutLib.YAxisLib.AutoMarginFlag.True }];
        return layout;
    }

    /// <summary>
    /// A shaded span from <paramref name="from"/> to the chart's right end, labelled: where labels are still
    /// expected to arrive, so a metric that sits on few labels is not read as final.
    /// </summary>
    public static Shape Span(DateTimeOffset from, DateTimeOffset to, string label) => new()
    {
        Type = Plotly.Blazor.LayoutLib.ShapeLib.TypeEnum.Rect,
        XRef = "x",
        YRef = "paper",
        X0 = from.UtcDateTime,
        X1 = to.UtcDateTime,
        Y0 = 0,
        Y1 = 1,
        FillColor = "rgba(138,143,152,0.18)",
        Line = new Plotly.Blazor.LayoutLib.ShapeLib.Line { Width = 0 },
        Layer = Plotly.Blazor.LayoutLib.ShapeLib.LayerEnum.Below,
        Label = new Plotly.Blazor.LayoutLib.ShapeLib.Label { Text = PlotText(label), TextPosition = Plotly.Blazor.LayoutLib.ShapeLib.LabelLib.TextPositionEnum.TopCenter, Font = new Plotly.Blazor.LayoutLib.ShapeLib.LabelLib.Font { Size = 10, Color = Ink } },
    };

    /// <summary>
    /// Plotly renders a subset of HTML in every label (links, bold, line breaks), so a category, class or feature name
    /// such as &lt;a href=…&gt; would become a live link. HTML-escaped, Plotly shows it as the literal text.
    /// </summary>
    public static string? PlotText(string? text) => text is null ? null : System.Net.WebUtility.HtmlEncode(text);

    private static List<object> PlotTexts(IEnumerable<string> texts) => texts.Select(t => (object)PlotText(t)!).ToList();

    private static PlotLayout Base(bool compact) => new()
    {
        PaperBgColor = "rgba(0,0,0,0)",
        PlotBgColor = "rgba(0,0,0,0)",
        Font = new Font { Color = Ink, Size = 11 },
        Margin = compact ? new Margin { L = 0, R = 0, T = 0, B = 0, Pad = 0 } : new Margin { L = 48, R = 16, T = 16, B = 36 },
        ShowLegend = !compact,
        Legend = [new Legend { Orientation = Plotly.Blazor.LayoutLib.LegendLib.OrientationEnum.H, Y = 1.12m, X = 0 }],
        HoverMode = HoverModeEnum.XUnified,
        DragMode = compact ? DragModeEnum.False : null,
    };

    /// <summary>One scatter trace per series, filled from the timeline. Lists are fresh so Plotly.Blazor may extend them.</summary>
    public static IList<ITrace> TimeTraces(IReadOnlyList<SeriesSpec> series, IReadOnlyList<TimelinePoint> points) =>
        series.Select((s, i) => (ITrace)new Scatter
        {
            Name = PlotText(s.Name),
            // Markers as well as lines: a lone step (a young deployment on a long window) is a point, not nothing. A dashed
            // reference line (threshold, SLO) is constant and needs none: its markers would read as a dotted series.
            Mode = s.Dashed ? ModeFlag.Lines : ModeFlag.Lines | ModeFlag.Markers,
            Marker = new Plotly.Blazor.Traces.ScatterLib.Marker { Size = 4, Color = s.Color ?? Palette[i % Palette.Length] },
            X = points.Select(p => (object)p.Time.UtcDateTime).ToList(),
            Y = points.Select(p => (object?)s.ValueAt(p)).ToList()!,
            YAxis = s.SecondaryAxis ? "y2" : "y",
            ConnectGaps = false,
            Fill = s.Fill ? FillEnum.ToZeroY : null,
            Line = new Line { Color = s.Color ?? Palette[i % Palette.Length], Width = 2, Dash = s.Dashed ? "dash" : null },
        }).ToList();

    /// <summary>Reference against current shares as grouped bars.</summary>
    public static IList<ITrace> Comparison(DistributionComparison distribution, string referenceName = "Reference", string currentName = "Current") =>
    [
        new Bar { Name = PlotText(referenceName), X = PlotTexts(distribution.Labels), Y = distribution.Reference.Cast<object>().ToList(), Marker = new Plotly.Blazor.Traces.BarLib.Marker { Color = Reference } },
        new Bar { Name = PlotText(currentName), X = PlotTexts(distribution.Labels), Y = distribution.Current.Cast<object>().ToList(), Marker = new Plotly.Blazor.Traces.BarLib.Marker { Color = Current } },
    ];

    /// <summary>A count heatmap with the count written in each cell; rows are labels, columns predictions.</summary>
    public static IList<ITrace> ConfusionHeatmap(ConfusionMatrixView matrix) =>
    [
        new HeatMap
        {
            X = PlotTexts(matrix.Classes),
            Y = PlotTexts(matrix.Classes),
            Z = matrix.Counts.Select(row => (object)row.Cast<object>().ToList()).ToList(),
            Text = null,
            TextTemplate = "%{z}",
            ColorScale = "Blues",
            ReverseScale = true, // Plotly's Blues runs dark to light; more counts should read darker
            ShowScale = false,
            HoverTemplate = "label %{y} → predicted %{x}: %{z}<extra></extra>",
        },
    ];
}
