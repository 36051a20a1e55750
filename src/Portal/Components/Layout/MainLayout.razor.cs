using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Routing;
using Microsoft.JSInterop;
using ModelWatch.Engine.Registry;
using ModelWatch.Engine.Windows;
using ModelWatch.Portal.Components.ViewModels;

namespace ModelWatch.Portal.Components.Layout;

/// <summary>
/// The app shell. It resolves the viewer once and cascades it to pages; window and version live in the URL,
/// so the selectors here only rewrite the query and the page reacts to its new parameters.
/// </summary>
public partial class MainLayout : LayoutComponentBase, IDisposable
{
    private const string AllVersions = "";
    private static readonly Dictionary<string, object> SearchAttributes = new() { ["data-testid"] = "model-search", ["aria-label"] = "Search models, teams, features and versions" };

    private Viewer? _viewer;
    private IReadOnlyList<ModelDefinition> _models = [];
    private PageState _state = PageState.From(null, null, null);
    private string? _modelId;
    private string _path = "";
    private IReadOnlyList<string>? _versions;
    private SearchHit? _searchValue;
    private bool _drawerOpen = true;
    private bool _dark;
    private bool _anonymous;
    private ViewKind? _chosenView;
    private bool _windowed;

    [CascadingParameter] public Task<AuthenticationState>? AuthenticationState { get; set; }
    [CascadingParameter(Name = ThemeCookie.CascadingName)] public bool DarkModeAtStart { get; set; }
    [CascadingParameter(Name = ViewCookie.CascadingName)] public string? ViewAtStart { get; set; }
    [Inject] public required IJSRuntime JS { get; init; }
    [Inject] public required IViewerResolver Viewers { get; init; }
    [Inject] public required IModelCatalog Catalog { get; init; }
    [Inject] public required NavigationManager Navigation { get; init; }
    [Inject] public required AuthenticationStateProvider AuthenticationStates { get; init; }

    private bool MayReadAudit => _viewer is not null && Governance.AuditPageModel.MayRead(_viewer.Caller);

    /// <summary>The current address with the #main-content fragment, so the link works without script and keeps the query.</summary>
    private string SkipHref => Navigation.ToBaseRelativePath(Navigation.Uri).Split('#')[0] + "#main-content";

    private string FleetHref => "/" + new PageState(_state.Window, null, null).ToQuery();

    protected override async Task OnInitializedAsync()
    {
        _dark = DarkModeAtStart;
        if (AuthenticationState is not null)
        {
            var user = (await AuthenticationState).User;
            _anonymous = user.Identity?.IsAuthenticated != true;
            _viewer = WithChosenView(Viewers.Resolve(user));
        }
        if (_viewer is not null) _models = Catalog.Visible(_viewer);
        ReadLocation(Navigation.Uri);
        Navigation.LocationChanged += OnLocationChanged;
        AuthenticationStates.AuthenticationStateChanged += OnAuthenticationStateChanged;
    }

    /// <summary>
    /// The circuit re-validated its user: signed out or gone drops the page at once (its live subscriptions end with it)
    /// and reloads to the sign-in page; changed teams or role re-create the page with the new viewer.
    /// </summary>
    private void OnAuthenticationStateChanged(Task<AuthenticationState> state) => _ = InvokeAsync(async () =>
    {
        var viewer = WithChosenView(Viewers.Resolve((await state).User));
        if (viewer is null)
        {
            _viewer = null;
            _models = [];
            StateHasChanged();
            Navigation.NavigateTo(Shared.RedirectToSignIn.Href(Navigation), forceLoad: true);
            return;
        }
        if (_viewer is not null && Security.CircuitRevalidation.Access(viewer.Caller) == Security.CircuitRevalidation.Access(_viewer.Caller)) return;
        _viewer = viewer;
        _models = Catalog.Visible(viewer);
        ReadLocation(Navigation.Uri);
        StateHasChanged();
    });

    private void OnLocationChanged(object? sender, LocationChangedEventArgs e)
    {
        ReadLocation(e.Location);
        _ = InvokeAsync(StateHasChanged);
    }

    private void ReadLocation(string uri)
    {
        _state = PageState.FromUri(uri);
        var absolute = new Uri(uri).AbsolutePath.Trim('/');
        _path = Uri.UnescapeDataString(absolute);
        var path = absolute.Split('/');
        _modelId = path is ["models", var id, ..] ? Uri.UnescapeDataString(id) : null;
        // Window and version only change the fleet and the model page; governance pages would ignore them.
        _windowed = path is [""] or ["models", _];
        var model = _modelId is null || !_windowed ? null : _models.FirstOrDefault(m => m.Id == _modelId);
        _versions = model is null ? null : Catalog.Versions(model);
    }

    private Task<IEnumerable<SearchHit>> SearchModels(string? text, CancellationToken cancellationToken) =>
        Task.FromResult<IEnumerable<SearchHit>>(ModelSearch.Find(_models, text));

    private static string HitName(SearchHit? hit) => hit?.Model.Name ?? "";

    private void OpenModel(SearchHit? hit)
    {
        if (hit is null) return;
        _searchValue = null;
        Navigation.NavigateTo(hit.Href(_state.Window));
    }

    private string WindowHref(SummaryWindow window) =>
        Navigation.GetUriWithQueryParameter(PageState.WindowKey, window == SummaryWindow.OneHour ? null : window.ToName());

    private void SetWindow(SummaryWindow window) => Navigation.NavigateTo(WindowHref(window));

    private void OnVersionChosen(ChangeEventArgs e) => SetVersion(e.Value as string);

    private void SetVersion(string? version) =>
        Navigation.NavigateTo(Navigation.GetUriWithQueryParameter(PageState.VersionKey, string.IsNullOrEmpty(version) ? null : version));

    private Viewer? WithChosenView(Viewer? viewer) => viewer is null ? null : viewer with { ChosenView = _chosenView ??= ViewCookie.Parse(ViewAtStart) };

    /// <summary>The page is keyed by the viewer, so a new viewer value re-creates it in the chosen view.</summary>
    private async Task ChooseView(ViewKind view)
    {
        if (_viewer is null || _viewer.View == view) return;
        // The cookie first: a reload right after the page shows the new view must find it.
        try { await JS.InvokeVoidAsync("modelWatchView.save", ViewCookie.ToName(view)); }
        catch (JSDisconnectedException) { return; }
        _chosenView = view;
        _viewer = _viewer with { ChosenView = view };
    }

    private void ToggleDrawer() => _drawerOpen = !_drawerOpen;

    private async Task ToggleDark()
    {
        _dark = !_dark;
        try { await JS.InvokeVoidAsync("modelWatchTheme.save", _dark); }
        catch (JSDisconnectedException) { /* the page is closing; the choice applies to this page only */ }
    }

    public void Dispose()
    {
        Navigation.LocationChanged -= OnLocationChanged;
        AuthenticationStates.AuthenticationStateChanged -= OnAuthenticationStateChanged;
    }
}
