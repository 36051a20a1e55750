using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Options;
using ModelWatch.Engine.Live;
using ModelWatch.Engine.Registry;
using ModelWatch.Engine.Windows;
using ModelWatch.Portal.Components.ViewModels;

namespace ModelWatch.Portal.Components.Pages;

/// <summary>
/// One card per visible model. Summaries load on navigation; live updates for every card go through one throttle,
/// so the page renders at most four times a second however many models are busy. The order is set on load
/// (cards do not jump around while someone reads them) and follows the viewer's concern.
/// </summary>
public partial class Fleet : ComponentBase, IAsyncDisposable
{
    private readonly Dictionary<string, ModelDefinition> _models = new(StringComparer.Ordinal);
    private readonly Dictionary<string, FleetCardView> _cards = new(StringComparer.Ordinal);
    private readonly Dictionary<string, TimelineBuffer> _timelines = new(StringComparer.Ordinal);
    private readonly List<IDisposable> _subscriptions = [];
    private List<string> _order = [];
    private LiveThrottle<LiveUpdate>? _throttle;
    private SummaryWindow? _loadedWindow;
    private bool _loading = true;
    private bool _rendered;
    private string? _error;

    [CascadingParameter] public Viewer? Viewer { get; set; }
    [SupplyParameterFromQuery(Name = PageState.WindowKey)] public string? WindowParameter { get; set; }

    [Inject] public required IModelCatalog Catalog { get; init; }
    [Inject] public required ISummaryReader Summaries { get; init; }
    [Inject] public required ILiveFeed Live { get; init; }
    [Inject] public required TimeProvider Clock { get; init; }
    [Inject] public required IOptions<LiveViewOptions> Options { get; init; }

    private PageState State => PageState.From(WindowParameter, null, null);
    private IReadOnlyList<FleetCardView> Cards => _order.Select(id => _cards[id]).ToList();
    private DateTimeOffset Now => Clock.GetUtcNow();
    private string ViewName => Viewer?.View == ViewKind.Operations ? "operations" : "quality";
    private string OrderDescription => Viewer?.View == ViewKind.Operations
        ? "ordered by latency, errors and cost"
        : "ordered by drift and performance";

    private TimelineBuffer TimelineOf(string modelId) => _timelines.GetValueOrDefault(modelId) ?? TimelineBuffer.Empty;

    protected override void OnParametersSet()
    {
        if (Viewer is null || _loadedWindow == State.Window) return;
        Load();
        if (_rendered) Subscribe();
    }

    private void Load()
    {
        _loading = true;
        _error = null;
        _loadedWindow = State.Window;
        _models.Clear();
        _cards.Clear();
        _timelines.Clear();
        try
        {
            foreach (var model in Catalog.Visible(Viewer!))
            {
                _models[model.Id] = model;
                try
                {
                    var summary = Summaries.GetSummary(model.Id, State.Window);
                    _cards[model.Id] = FleetCards.From(model, summary, Viewer!.View);
                    _timelines[model.Id] = new TimelineBuffer(Summaries.GetTimeline(model.Id, State.Window)?.Points ?? []);
                }
                catch (Exception e)
                {
                    _cards[model.Id] = FleetCards.From(model, null, Viewer!.View, e.Message);
                }
            }
            _order = FleetCards.Order(_cards.Values, Viewer!.View).Select(c => c.ModelId).ToList();
        }
        catch (Exception e)
        {
            _error = e.Message;
            _order = [];
        }
        _loading = false;
    }

    protected override void OnAfterRender(bool firstRender)
    {
        if (!firstRender || Viewer is null) return;
        _rendered = true; // subscribe only once interactive; prerendering never subscribes
        Subscribe();
    }

    private void Subscribe()
    {
        Unsubscribe();
        var window = State.Window;
        _throttle = new LiveThrottle<LiveUpdate>(Clock, Options.Value.MinRenderInterval, FlushAsync);
        var throttle = _throttle;
        foreach (var modelId in _models.Keys)
            _subscriptions.Add(Live.Subscribe(modelId, window, null, update =>
            {
                try { throttle.Post(update); }
                catch (Exception e) { _ = DispatchExceptionAsync(e); }
            }));
    }

    private async Task FlushAsync(IReadOnlyList<LiveUpdate> updates)
    {
        try
        {
            await InvokeAsync(() =>
            {
                Apply(updates);
                StateHasChanged();
            });
        }
        catch (Exception e)
        {
            await DispatchExceptionAsync(e);
        }
    }

    /// <summary>Applies a coalesced batch: the newest summary per model wins, every new timeline step is kept.</summary>
    internal void Apply(IReadOnlyList<LiveUpdate> updates)
    {
        foreach (var update in updates)
        {
            var id = update.Summary.ModelId;
            if (!_models.TryGetValue(id, out var model) || update.Summary.Window != _loadedWindow?.ToName()) continue;
            _cards[id] = FleetCards.From(model, update.Summary, Viewer!.View);
            if (!_timelines.TryGetValue(id, out var timeline)) _timelines[id] = timeline = TimelineBuffer.Empty;
            timeline.Apply(update.Latest);
        }
    }

    private void Unsubscribe()
    {
        _throttle?.Dispose();
        foreach (var subscription in _subscriptions) subscription.Dispose();
        _subscriptions.Clear();
    }

    public ValueTask DisposeAsync()
    {
        Unsubscribe();
        return ValueTask.CompletedTask;
    }
}
