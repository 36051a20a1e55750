using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;

namespace ModelWatch.Portal.Components.Shared;

/// <summary>
/// Moves focus to the page heading when another page opens, as FocusOnNavigate does, but not when only the query
/// changes (a tab, window or version pick): focus then stays on the control the user just worked, so arrow keys keep
/// moving between tabs.
/// </summary>
public sealed class FocusOnPageChange : ComponentBase
{
    private Type? _page;
    private string? _routeValues;
    private bool _focusAfterRender;

    [Inject] public required IJSRuntime JS { get; init; }
    [Parameter, EditorRequired] public Microsoft.AspNetCore.Components.RouteData RouteData { get; set; } = default!;
    [Parameter] public string Selector { get; set; } = "h1";

    protected override void OnParametersSet()
    {
        var values = string.Join('&', RouteData.RouteValues.OrderBy(v => v.Key, StringComparer.Ordinal).Select(v => $"{v.Key}={v.Value}"));
        if (RouteData.PageType == _page && values == _routeValues) return;
        _page = RouteData.PageType;
        _routeValues = values;
        _focusAfterRender = true;
    }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (!_focusAfterRender) return;
        _focusAfterRender = false;
        try { await JS.InvokeVoidAsync("modelWatchKeyboard.focus", Selector); }
        catch (JSDisconnectedException) { /* the page is closing */ }
    }
}
