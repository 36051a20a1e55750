using Microsoft.AspNetCore.Components;
using ModelWatch.Portal.Components.ViewModels;
using Plotly.Blazor;
using PlotLayout = Plotly.Blazor.Layout;

namespace ModelWatch.Portal.Components.Shared;

/// <summary>
/// A chart of one moment (a distribution, a confusion matrix). PlotlyChart does not re-render with its parent,
/// so a new <see cref="Key"/> swaps the traces and calls react; the same key leaves the drawing alone.
/// </summary>
public partial class SnapshotChart : ComponentBase
{
    private PlotlyChart? _chart;
    private IList<ITrace> _data = [];
    private PlotLayout _layout = new();
    private readonly Config _config = Charts.Config();
    private string? _drawnKey;
    private bool _redraw;
    private readonly ChartUpdateGate _gate = new();

    [Parameter, EditorRequired] public Func<IList<ITrace>> Traces { get; set; } = () => [];
    [Parameter, EditorRequired] public Func<PlotLayout> Layout { get; set; } = () => new PlotLayout();
    [Parameter, EditorRequired] public string Key { get; set; } = "";
    [Parameter] public int Height { get; set; } = 260;
    [Parameter] public string? TestId { get; set; }

    protected override void OnParametersSet()
    {
        if (_drawnKey == Key) return;
        _data = Traces();
        _layout = Layout();
        _redraw = _drawnKey is not null;
        _drawnKey = Key;
    }

    protected override Task OnAfterRenderAsync(bool firstRender) =>
        !_redraw || _chart is null ? Task.CompletedTask : _gate.RunAsync(RedrawAsync, StateHasChanged);

    private Task RedrawAsync()
    {
        _redraw = false;
        return _chart!.React();
    }
}
