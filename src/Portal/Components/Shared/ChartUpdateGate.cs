using Microsoft.JSInterop;

namespace ModelWatch.Portal.Components.Shared;

/// <summary>
/// At most one Plotly call per chart in flight. A browser that draws slower than live updates arrive would otherwise
/// leave a queue of calls on the server, each holding its payload; instead the chart catches up in one call when the
/// previous one is done.
/// </summary>
public sealed class ChartUpdateGate
{
    private bool _busy;
    private bool _behind;

    /// <param name="update">Reads what changed since the last drawing and sends it.</param>
    /// <param name="catchUp">Asks for another render when updates were skipped meanwhile (the component's StateHasChanged).</param>
    public async Task RunAsync(Func<Task> update, Action catchUp)
    {
        if (_busy)
        {
            _behind = true;
            return;
        }
        _busy = true;
        try
        {
            await update();
        }
        catch (JSDisconnectedException)
        {
            return; // the page was closed mid-draw: nothing left to draw on
        }
        finally
        {
            _busy = false;
        }
        if (!_behind) return;
        _behind = false;
        catchUp();
    }
}
