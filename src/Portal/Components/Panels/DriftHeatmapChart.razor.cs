using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;
using ModelWatch.Engine.Windows;
using ModelWatch.Portal.Components.Shared;
using ModelWatch.Portal.Components.ViewModels;

namespace ModelWatch.Portal.Components.Panels;

/// <summary>
/// The features × time drift heatmap. It is rebuilt when a step completes or the features change, not on every live
/// update of the filling step (which it leaves out). A click on a cell raises <see cref="CellSelected"/>.
/// </summary>
public partial class DriftHeatmapChart : ComponentBase, IAsyncDisposable
{
    private ElementReference _element;
    private DriftHeatmap _view = new([], [], [], []);
    private string? _drawnKey;
    private bool _redraw;
    private bool _listening;
    private DotNetObjectReference<DriftHeatmapChart>? _self;
    private readonly ChartUpdateGate _gate = new();

    [Parameter, EditorRequired] public TimelineBuffer Timeline { get; set; } = TimelineBuffer.Empty;
    [Parameter, EditorRequired] public IReadOnlyList<FeatureDrift> Features { get; set; } = [];
    [Parameter] public EventCallback<(string Feature, DateTimeOffset Time)> CellSelected { get; set; }
    [Inject] public required ChartScripts Scripts { get; init; }

    private int Height => Math.Clamp(60 + 18 * _view.Features.Count, 140, 900);

    protected override void OnParametersSet()
    {
        var completed = Timeline.Points.LastOrDefault(p => !p.Partial)?.Time;
        var key = $"{completed:O}|{Timeline.Points.Count}|{string.Join(',', Features.Select(f => $"{f.Feature}:{f.Method}:{f.Threshold}:{f.Drifted}"))}";
        if (key == _drawnKey) return;
        _drawnKey = key;
        _view = DriftHeatmap.From(Timeline.Points, Features);
        _redraw = true;
    }

    protected override Task OnAfterRenderAsync(bool firstRender) =>
        !_redraw || _view.IsEmpty ? Task.CompletedTask : _gate.RunAsync(DrawAsync, StateHasChanged);

    private async Task DrawAsync()
    {
        _redraw = false;
        await Scripts.DrawAsync(_element, _view.Traces(), Charts.TimeHeatmapLayout(), Charts.Config());
        if (_listening) return;
        _self ??= DotNetObjectReference.Create(this);
        await Scripts.ListenForCellsAsync(_element, _self);
        _listening = true;
    }

    /// <summary>Plotly's indices of the clicked cell: row (feature) and column (step).</summary>
    [JSInvokable]
    public Task CellClicked(int row, int column)
    {
        if (row < 0 || row >= _view.Features.Count || column < 0 || column >= _view.Times.Count) return Task.CompletedTask;
        return CellSelected.InvokeAsync((_view.Features[row], _view.Times[column]));
    }

    public async ValueTask DisposeAsync()
    {
        await Scripts.PurgeAsync(_element);
        _self?.Dispose();
    }
}
