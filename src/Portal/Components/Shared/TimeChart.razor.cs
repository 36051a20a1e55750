using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;
using ModelWatch.Engine.Windows;
using ModelWatch.Portal.Components.ViewModels;
using Plotly.Blazor;
using PlotLayout = Plotly.Blazor.Layout;
using Plotly.Blazor.Traces;
using Plotly.Blazor.LayoutLib;

namespace ModelWatch.Portal.Components.Shared;

/// <summary>
/// A time-series chart over a <see cref="TimelineBuffer"/>. It draws once, then extends its traces with the steps the
/// buffer gained (capped at the buffer's capacity) instead of rebuilding; a step that is still filling is corrected
/// with Plotly's diffing react. A new <see cref="Key"/> or buffer redraws from scratch.
/// </summary>
public partial class TimeChart : ComponentBase, IAsyncDisposable
{
    private ElementReference _element;
    private IList<ITrace> _data = [];
    private PlotLayout _layout = new();
    private Config _config = new();
    private TimelineBuffer? _drawn;
    private string? _drawnKey;
    private int _drawnRevision;
    private TimelinePoint? _lastDrawn;
    private ChartAnnotations? _drawnAnnotations;
    private VersionOverlay? _drawnOverlay;
    private DotNetObjectReference<TimeChart>? _self;
    private bool _redraw;
    private readonly ChartUpdateGate _gate = new();

    [Parameter, EditorRequired] public TimelineBuffer Buffer { get; set; } = TimelineBuffer.Empty;
    [Parameter, EditorRequired] public IReadOnlyList<SeriesSpec> Series { get; set; } = [];
    /// <summary>Changes when the series themselves change (another feature, another rate): the chart is redrawn.</summary>
    [Parameter] public string Key { get; set; } = "";
    [Parameter] public string? YTitle { get; set; }
    [Parameter] public string? YFormat { get; set; }
    [Parameter] public string? Y2Title { get; set; }
    [Parameter] public string? Y2Format { get; set; }
    [Parameter] public int Height { get; set; } = 260;
    [Parameter] public bool Compact { get; set; }
    [Parameter] public string? TestId { get; set; }
    /// <summary>Shaded spans computed from the drawn points (labels pending); sent with each full draw.</summary>
    [Parameter] public Func<IReadOnlyList<TimelinePoint>, IReadOnlyList<Shape>>? Shapes { get; set; }
    /// <summary>The model's changes (versions, promotions, references, owners) marked on the chart; from the model page.</summary>
    [CascadingParameter] public ChartAnnotations? Annotations { get; set; }
    /// <summary>Where a drag-to-zoom goes (the model page sets its range from it); without it the chart zooms on its own.</summary>
    [CascadingParameter] public ChartZoom? Zoom { get; set; }
    /// <summary>Other versions' lines for "compare versions" on the model page.</summary>
    [CascadingParameter] public VersionOverlay? Overlay { get; set; }
    /// <summary>Spans in which the model's alerts fired, cascaded by the model page; shaded on each full draw.</summary>
    [CascadingParameter] public Components.Alerting.ChartAlertSpans? AlertSpans { get; set; }
    [Inject] public required ChartScripts Scripts { get; init; }

    /// <summary>How many points the chart holds per trace after extending.</summary>
    public int MaxPoints => Buffer.Capacity;

    protected override void OnParametersSet()
    {
        if (ReferenceEquals(_drawn, Buffer) && _drawnKey == Key && ReferenceEquals(_drawnAnnotations, Annotations) && ReferenceEquals(_drawnOverlay, Overlay)) return;
        _layout = Charts.TimeLayout(YTitle, YFormat, Y2Title, Y2Format, Compact);
        _config = Charts.Config(Compact);
        _data = Charts.TimeTraces(Series, Buffer.Points);
        _drawnAnnotations = Annotations;
        _drawnOverlay = Overlay;
        // Overlay and marker traces go after the series traces, whose indices the live extends use.
        if (!Compact && Overlay is not null) foreach (var trace in Overlay.Traces(Series)) _data.Add(trace);
        if (!Compact && Annotations is { Items.Count: > 0 } marks)
        {
            // The markers go after the series traces, whose indices the live extends use.
            var axis = $"y{_layout.YAxis.Count + 1}";
            _layout.YAxis.Add(new YAxis { Overlaying = "y", Range = [0, 1], Visible = false, FixedRange = true });
            _data.Add(marks.Markers(axis));
        }
        _redraw = true;
        _drawn = Buffer;
        _drawnKey = Key;
        _drawnRevision = Buffer.Revision;
        _lastDrawn = Buffer.Last;
    }

    protected override Task OnAfterRenderAsync(bool firstRender) => _gate.RunAsync(UpdateAsync, StateHasChanged);

    /// <summary>Redraws, or sends only the steps drawn since the last call.</summary>
    private async Task UpdateAsync()
    {
        if (_redraw)
        {
            _redraw = false;
            await DrawAsync();
            return;
        }
        if (Buffer.Revision == _drawnRevision) return;
        _drawnRevision = Buffer.Revision;

        var points = Buffer.Points;
        var lastTime = _lastDrawn?.Time;
        var filled = lastTime is { } t ? points.FirstOrDefault(p => p.Time == t) : null;
        var fresh = points.Where(p => lastTime is null || p.Time > lastTime).ToList();
        var correctedLast = filled is not null && !ReferenceEquals(filled, _lastDrawn);
        _lastDrawn = Buffer.Last;

        if (correctedLast)
        {
            // The newest step got more data: fix its values in place and let Plotly diff.
            foreach (var (trace, spec) in Traces)
                if (trace.Y is { Count: > 0 } y) y[^1] = spec.ValueAt(filled!)!;
            Append(fresh);
            await DrawAsync();
        }
        else if (fresh.Count > 0)
        {
            // The drawn traces keep the same points, so a later react (a corrected step) does not lose them.
            Append(fresh);
            var x = Series.Select(_ => (IReadOnlyList<object?>)fresh.Select(p => (object?)p.Time.UtcDateTime).ToList()).ToList();
            var y = Series.Select(s => (IReadOnlyList<object?>)fresh.Select(p => (object?)s.ValueAt(p)).ToList()).ToList();
            await Scripts.ExtendAsync(_element, x, y, Enumerable.Range(0, Series.Count).ToList(), MaxPoints);
        }
    }

    private IEnumerable<(Scatter Trace, SeriesSpec Spec)> Traces => _data.OfType<Scatter>().Zip(Series);

    private async Task DrawAsync()
    {
        await Scripts.DrawAsync(_element, _data, Layout(), _config);
        if (Zoom is null || Compact || _self is not null) return;
        _self = DotNetObjectReference.Create(this);
        await Scripts.ListenForZoomAsync(_element, _self);
    }

    /// <summary>Plotly's x range after a drag, as it writes dates ("2026-12-08 00:12:33.5", UTC as drawn).</summary>
    [JSInvokable]
    public Task Zoomed(string from, string to) =>
        Zoom is not null && Parse(from) is { } start && Parse(to) is { } end && end > start ? Zoom.ZoomedAsync(start, end) : Task.CompletedTask;

    private static DateTimeOffset? Parse(string text) =>
        DateTimeOffset.TryParse(text, System.Globalization.CultureInfo.InvariantCulture,
            System.Globalization.DateTimeStyles.AssumeUniversal | System.Globalization.DateTimeStyles.AdjustToUniversal, out var t) ? t : null;

    /// <summary>The layout with its shapes: the chart's own spans (labels pending), alert spans and annotation lines.</summary>
    private PlotLayout Layout()
    {
        var shapes = Shapes?.Invoke(Buffer.Points) ?? [];
        var alerts = AlertSpans?.Shapes(Buffer.Points.FirstOrDefault()?.Time) ?? [];
        var lines = !Compact && _drawnAnnotations is { } marks ? marks.Lines() : [];
        if (Shapes is not null || AlertSpans is not null || _drawnAnnotations is { Items.Count: > 0 }) _layout.Shapes = [.. shapes, .. alerts, .. lines];
        return _layout;
    }

    /// <summary>Adds the new steps to the drawn traces, keeping at most <see cref="MaxPoints"/>.</summary>
    private void Append(IReadOnlyList<TimelinePoint> fresh)
    {
        foreach (var (trace, spec) in Traces)
        {
            foreach (var p in fresh)
            {
                trace.X?.Add(p.Time.UtcDateTime);
                trace.Y?.Add(spec.ValueAt(p)!);
            }
            Trim(trace.X);
            Trim(trace.Y);
        }
    }

    private void Trim(IList<object>? values)
    {
        while (values is not null && values.Count > MaxPoints) values.RemoveAt(0);
    }

    public async ValueTask DisposeAsync()
    {
        await Scripts.PurgeAsync(_element);
        _self?.Dispose();
    }
}
