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
    private PageStatus _status = PageStatus.Loading;
    private string? _error;
    private (string Model, SummaryWindow Window, string? Version)? _loaded;
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

    [Inject] public required IModelCatalog Catalog { get; init; }
    [Inject] public required ISummaryReader Summaries { get; init; }
    [Inject] public required SharedTimelines Timelines { get; init; }
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
        var key = (ModelId, State.Window, State.Version);
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
        try
        {
            _summary = Summaries.GetSummary(_model.Id, State.Window, State.Version);
            _timelineShape = Timelines.Get(_model.Id, State.Window, State.Version);
            _timeline = new TimelineBuffer(_timelineShape?.Points ?? []);
            _alertSpans = new Components.Alerting.ChartAlertSpans(Firing.Spans(_model.Id, Now - State.Window.Length()), Now);
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
        if (_status != PageStatus.Ready || _model is null) return;
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
