using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Options;
using ModelWatch.Engine.Live;
using ModelWatch.Engine.Registry;
using ModelWatch.Engine.Windows;
using ModelWatch.Portal.Components.ViewModels;

namespace ModelWatch.Portal.Components.Pages;

public enum PageStatus { Loading, Ready, NotFound, NotAllowed, Error }

/// <summary>
/// One model's panels. Access is checked here on the server before anything is read: a model the viewer may not
/// read shows "not allowed" and its summary is never loaded. Window, version and tab come from the URL; live
/// updates are subscribed after the first interactive render and applied at most four times a second.
/// </summary>
public partial class ModelPage : ComponentBase, IAsyncDisposable
{
    private ModelDefinition? _model;
    private ModelSummary? _summary;
    private TimelineBuffer _timeline = TimelineBuffer.Empty;
    private ModelTimeline? _timelineShape;
    private ChartAnnotations _annotations = ChartAnnotations.None;
    private PageStatus _status = PageStatus.Loading;
    private string? _error;
    private (string Model, SummaryWindow Window, string? Version, string? From, string? To, string? Compare)? _loaded;
    private TimeRange? _range;
    private bool _paused;
    private ChartZoom? _zoom;
    private VersionOverlay? _overlay;
    private IDisposable? _subscription;
    private LiveThrottle<LiveUpdate>? _throttle;
    private bool _rendered;
    private int _liveUpdates;
    private int _liveRenders;
    private Components.Alerting.ChartAlertSpans? _alertSpans;

    [Parameter] public string ModelId { get; set; } = "";
    [CascadingParameter] public Viewer? Viewer { get; set; }
    [SupplyParameterFromQuery(Name = PageState.WindowKey)] public string? WindowParameter { get; set; }
    [SupplyParameterFromQuery(Name = PageState.VersionKey)] public string? VersionParameter { get; set; }
    [SupplyParameterFromQuery(Name = PageState.TabKey)] public string? TabParameter { get; set; }
    [SupplyParameterFromQuery(Name = PageState.FeatureKey)] public string? FeatureParameter { get; set; }
    [SupplyParameterFromQuery(Name = TimeRange.FromKey)] public string? FromParameter { get; set; }
    [SupplyParameterFromQuery(Name = TimeRange.ToKey)] public string? ToParameter { get; set; }
    [SupplyParameterFromQuery(Name = VersionOverlay.QueryKey)] public string? CompareParameter { get; set; }

    [Inject] public required IModelCatalog Catalog { get; init; }
    [Inject] public required ISummaryReader Summaries { get; init; }
    [Inject] public required IRangeSummaryReader Ranges { get; init; }
    [Inject] public required SharedTimelines Timelines { get; init; }
    [Inject] public required ModelWatch.Engine.Audit.IAnnotationReader Annotations { get; init; }
    [Inject] public required ILiveFeed Live { get; init; }
    [Inject] public required TimeProvider Clock { get; init; }
    [Inject] public required IOptions<LiveViewOptions> Options { get; init; }
    [Inject] public required NavigationManager Navigation { get; init; }
    [Inject] public required Components.Alerting.IFiringAlerts Firing { get; init; }

    public PageState State => PageState.From(WindowParameter, VersionParameter, TabParameter);

    /// <summary>The URL's tab, else the viewer's default: drift for data scientists, latency for ops engineers.</summary>
    public ModelTab ActiveTab => State.Tab ?? ModelTabs.DefaultFor(Viewer?.View ?? ViewKind.Quality);

    /// <summary>The model once loaded; the markup only reads it in the Ready state.</summary>
    private ModelDefinition Model => _model ?? throw new InvalidOperationException("No model loaded.");

    /// <summary>The export of what the page shows: same model, window and version (ExportApi).</summary>
    private string ExportHref(string file) =>
        $"/api/v1/models/{Uri.EscapeDataString(Model.Id)}/{file}?" + (_range is { } r ? $"from={r.FromText}&to={r.ToText}" : $"window={State.Window.ToName()}")
        + (State.Version is { } v ? "&version=" + Uri.EscapeDataString(v) : "");

    private string TabHref(ModelTab tab) => Navigation.GetUriWithQueryParameter(PageState.TabKey, tab.ToName());
    private DateTimeOffset Now => Clock.GetUtcNow();

    /// <summary>The model's name only once the viewer may see it; a forbidden model's name never reaches the tab title.</summary>
    private string Title => _status is PageStatus.NotAllowed or PageStatus.NotFound || _model is null ? ModelId : _model.Name;

    /// <summary>The headline numbers after predictions and throughput, in the viewer's order of concern.</summary>
    private IReadOnlyList<FleetStat> Headline => _model is null || _summary is null ? [] : FleetCards.From(_model, _summary, Viewer?.View ?? ViewKind.Quality).Stats;

    /// <summary>"history starts 18:40 UTC" when the window reaches back further than the data (a young deployment on 7d).</summary>
    private string? HistoryNote => _timelineShape is { HistoryStart: { } start } t && start > t.From + t.Step ? $"history starts {ViewModels.Format.When(start, Now)}" : null;

    protected override void OnParametersSet()
    {
        var key = (ModelId, State.Window, State.Version, FromParameter, ToParameter, CompareParameter);
        if (_loaded == key) return;
        _loaded = key;
        Load();
        if (_rendered) Subscribe();
    }

    private void Load()
    {
        Unsubscribe();
        _summary = null;
        _timeline = TimelineBuffer.Empty;
        _liveUpdates = 0;
        _model = Catalog.Find(ModelId);
        if (Viewer is null || (_model is not null && !Viewer.CanRead(_model)))
        {
            _status = PageStatus.NotAllowed;
            return;
        }
        if (_model is null)
        {
            _status = PageStatus.NotFound;
            return;
        }
        if (State.Version is { } version && !Catalog.Versions(_model).Contains(version))
        {
            _error = $"'{_model.Name}' has no version '{version}'. Pick one from the version filter.";
            _status = PageStatus.Error;
            return;
        }
        _range = TimeRange.Parse(FromParameter, ToParameter, Now, out var rangeError);
        if (rangeError is not null)
        {
            _error = rangeError + " Remove it to go back to the live window.";
            _status = PageStatus.Error;
            return;
        }
        try
        {
            _summary = _range is { } r ? Ranges.GetSummary(_model.Id, r.From, r.To, State.Version) : Summaries.GetSummary(_model.Id, State.Window, State.Version);
            _timelineShape = _range is { } t ? Ranges.GetTimeline(_model.Id, t.From, t.To, State.Version) : Timelines.Get(_model.Id, State.Window, State.Version);
            _timeline = new TimelineBuffer(_timelineShape?.Points ?? []);
            _overlay = Comparing ? LoadOverlay(_model) : null;
            _annotations = _timelineShape is { } shape ? new ChartAnnotations(Annotations.For(_model.Id, shape.From, shape.To)) : ChartAnnotations.None;
            _alertSpans = new Components.Alerting.ChartAlertSpans(Firing.Spans(_model.Id, _timelineShape?.From ?? Now - State.Window.Length()), _range?.To ?? Now);
            _status = PageStatus.Ready;
        }
        catch (Exception e)
        {
            _error = e.Message;
            _status = PageStatus.Error;
        }
    }

    protected override void OnAfterRender(bool firstRender)
    {
        if (!firstRender) return;
        _rendered = true; // prerendering never subscribes; the interactive render does, once
        Subscribe();
    }

    private void Subscribe()
    {
        Unsubscribe();
        // A range is history and a paused page holds still: neither follows live updates.
        if (_status != PageStatus.Ready || _model is null || _range is not null || _paused) return;
        var throttle = _throttle = new LiveThrottle<LiveUpdate>(Clock, Options.Value.MinRenderInterval, FlushAsync);
        _subscription = Live.Subscribe(_model.Id, State.Window, State.Version, update =>
        {
            try { throttle.Post(update); }
            catch (Exception e) { _ = DispatchExceptionAsync(e); }
        });
    }

    private async Task FlushAsync(IReadOnlyList<LiveUpdate> updates)
    {
        try
        {
            await InvokeAsync(() =>
            {
                if (!Apply(updates)) return;
                _liveRenders++;
                StateHasChanged();
            });
        }
        catch (Exception e)
        {
            await DispatchExceptionAsync(e);
        }
    }

    /// <summary>Newest summary wins; every timeline step in the batch goes to the charts.</summary>
    internal bool Apply(IReadOnlyList<LiveUpdate> updates)
    {
        var applied = false;
        foreach (var update in updates)
        {
            // A late update from a previous window or version is dropped.
            if (update.Summary.ModelId != _model?.Id || update.Summary.Window != State.Window.ToName() || update.Summary.Version != State.Version) continue;
            _summary = update.Summary;
            _timeline.Apply(update.Latest);
            _liveUpdates++;
            applied = true;
        }
        return applied;
    }

    /// <summary>Compare versions: only over all versions (one version has nothing to compare with).</summary>
    private bool Comparing => CompareParameter == VersionOverlay.QueryValue && State.Version is null;

    // Read on every render (live updates): the model's own version keys, not a registry query.
    private bool CanCompare => _model is { VersionKeys.Count: > 1 } && State.Version is null;

    private string CompareHref => Navigation.GetUriWithQueryParameter(VersionOverlay.QueryKey, Comparing ? null : VersionOverlay.QueryValue);

    /// <summary>Each of the newest versions' own timeline over the same window or range; versions without data are left out.</summary>
    private VersionOverlay LoadOverlay(ModelWatch.Engine.Registry.ModelDefinition model)
    {
        var versions = new List<(string, IReadOnlyList<TimelinePoint>)>();
        foreach (var version in Catalog.Versions(model).Take(VersionOverlay.MaxVersions))
        {
            var timeline = _range is { } r ? Ranges.GetTimeline(model.Id, r.From, r.To, version) : Timelines.Get(model.Id, State.Window, version);
            if (timeline is { HistoryStart: not null }) versions.Add((version, timeline.Points));
        }
        return new VersionOverlay(versions);
    }

    /// <summary>Pause holds the page still (to read or compare); resume reloads the window as it is now and follows it again.</summary>
    private void TogglePause()
    {
        _paused = !_paused;
        if (_paused) { Unsubscribe(); return; }
        _loaded = null;
        OnParametersSet();
    }

    /// <summary>A drag across any chart sets the page's range in the URL, so every chart (and a shared link) shows that span.</summary>
    private ChartZoom Zoom => _zoom ??= new ChartZoom((from, to) =>
    {
        var range = TimeRange.FromZoom(from, to, Now);
        Navigation.NavigateTo(Navigation.GetUriWithQueryParameters(new Dictionary<string, object?> { [TimeRange.FromKey] = range.FromText, [TimeRange.ToKey] = range.ToText }));
        return Task.CompletedTask;
    });

    /// <summary>The page without a range: back to the live window.</summary>
    private string LiveHref => Navigation.GetUriWithQueryParameters(new Dictionary<string, object?> { [TimeRange.FromKey] = null, [TimeRange.ToKey] = null });

    /// <summary>A click on a tab writes ?tab= so the link reproduces the view, replacing the history entry rather than adding one per tab.</summary>
    private void SelectTab(ModelTab tab)
    {
        if (tab == ActiveTab) return;
        Navigation.NavigateTo(TabHref(tab), replace: true);
    }

    /// <summary>The drift feature goes into the URL (?feature=) so a link opens on the same histogram.</summary>
    private void SelectFeature(string feature) =>
        Navigation.NavigateTo(Navigation.GetUriWithQueryParameter(PageState.FeatureKey, feature), replace: true);

    private void Unsubscribe()
    {
        _throttle?.Dispose();
        _throttle = null;
        _subscription?.Dispose();
        _subscription = null;
    }

    public ValueTask DisposeAsync()
    {
        Unsubscribe();
        return ValueTask.CompletedTask;
    }
}
