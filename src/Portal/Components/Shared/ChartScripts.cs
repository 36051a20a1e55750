using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;
using Plotly.Blazor;
using PlotLayout = Plotly.Blazor.Layout;

namespace ModelWatch.Portal.Components.Shared;

/// <summary>
/// The circuit's bridge to wwwroot/js/charts.js: draws and extends Plotly charts from JSON strings serialised here
/// with one shared serializer, so no per-circuit serializer ever has to learn Plotly's object model. Scoped: one module
/// import per circuit, shared by its charts.
/// </summary>
public sealed class ChartScripts(IJSRuntime js) : IAsyncDisposable
{
    public const string ModulePath = "./js/charts.js";

    // Plotly's own JSON names come from the attributes on its types; nulls are left out as Plotly.Blazor does.
    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = null,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new DateTimeConverter(), new DateTimeOffsetConverter() },
    };

    private Task<IJSObjectReference>? _module;

    public async Task DrawAsync(ElementReference element, IEnumerable<ITrace> data, PlotLayout layout, Config config)
    {
        // Traces go as object so each is written with its own type's properties.
        var json = JsonSerializer.Serialize(new { data = data.Cast<object>().ToList(), layout, config }, Json);
        await (await ModuleAsync()).InvokeVoidAsync("draw", element, json);
    }

    public async Task ExtendAsync(ElementReference element, IReadOnlyList<IReadOnlyList<object?>> x, IReadOnlyList<IReadOnlyList<object?>> y, IReadOnlyList<int> indices, int max)
    {
        var json = JsonSerializer.Serialize(new { x, y, indices }, Json);
        await (await ModuleAsync()).InvokeVoidAsync("extend", element, json, max);
    }

    /// <summary>After a draw: a click on a heatmap cell calls the component's [JSInvokable] CellClicked(row, column).</summary>
    public async Task ListenForCellsAsync<T>(ElementReference element, DotNetObjectReference<T> component) where T : class =>
        await (await ModuleAsync()).InvokeVoidAsync("listenForCells", element, component);

    /// <summary>After a draw: a drag-to-zoom on a time chart calls the component's [JSInvokable] Zoomed(from, to).</summary>
    public async Task ListenForZoomAsync<T>(ElementReference element, DotNetObjectReference<T> component) where T : class =>
        await (await ModuleAsync()).InvokeVoidAsync("listenForZoom", element, component);

    public async Task PurgeAsync(ElementReference element)
    {
        if (_module is null) return;
        try { await (await _module).InvokeVoidAsync("purge", element); }
        catch (JSDisconnectedException) { /* the page is gone and its charts with it */ }
    }

    private Task<IJSObjectReference> ModuleAsync() => _module ??= js.InvokeAsync<IJSObjectReference>("import", ModulePath).AsTask();

    public async ValueTask DisposeAsync()
    {
        if (_module is null) return;
        try { await (await _module).DisposeAsync(); }
        catch (JSDisconnectedException) { /* nothing left to release in a closed page */ }
        catch (TaskCanceledException) { /* the import never finished */ }
    }
}
