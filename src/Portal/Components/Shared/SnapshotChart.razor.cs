using Microsoft.AspNetCore.Components;
using ModelWatch.Portal.Components.ViewModels;
using Plotly.Blazor;
using PlotLayout = Plotly.Blazor.Layout;

namespace ModelWatch.Portal.Components.Shared;

/// <summary>
/// A chart of one moment (a distribution, a confusion matrix). A new <see cref="Key"/> redraws it (Plotly's diffing
/// react); the same key leaves the drawing alone however often the parent renders.
/// </summary>
public partial class SnapshotChart : ComponentBase, IAsyncDisposable
{
    private ElementReference _element;
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
    [Inject] public required ChartScripts Scripts { get; init; }

    protected override void OnParametersSet()
    {
        if (_drawnKey == Key) return;
        _data = Traces();
        _layout = Layout();
        _redraw = true;
        _drawnKey = Key;
    }

    protected override Task OnAfterRenderAsync(bool firstRender) =>
        !_redraw ? Task.CompletedTask : _gate.RunAsync(RedrawAsync, StateHasChanged);

    private Task RedrawAsync()
    {
        _redraw = false;
        return Scripts.DrawAsync(_element, _data, _layout, _config);
    }

    public async ValueTask DisposeAsync() => await Scripts.PurgeAsync(_element);
}
