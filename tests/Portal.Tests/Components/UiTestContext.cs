using Bunit;
using Bunit.TestDoubles;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using ModelWatch.Engine.Access;
using ModelWatch.Engine.Live;
using ModelWatch.Engine.Registry;
using ModelWatch.Engine.Windows;
using ModelWatch.Portal.Components.ViewModels;
using MudBlazor;
using MudBlazor.Services;

namespace ModelWatch.Portal.Tests.Components;

/// <summary>
/// bUnit context for the portal's components: MudBlazor without transitions or the popover-provider check, loose JS
/// interop for MudBlazor's own calls (Plotly calls are asserted explicitly), a fake clock, and hand-written fakes
/// for the catalog, the summary reader and the live feed.
/// </summary>
public abstract class UiTestContext : BunitContext, IAsyncLifetime
{
    Task IAsyncLifetime.InitializeAsync() => Task.CompletedTask;

    // MudBlazor registers services that only dispose asynchronously.
    async Task IAsyncLifetime.DisposeAsync() => await base.DisposeAsync();

    public const string PlotlyModule = ModelWatch.Portal.Components.Shared.ChartScripts.ModulePath;

    protected UiTestContext()
    {
        Services.AddMudServices(o =>
        {
            o.SnackbarConfiguration.ShowTransitionDuration = 0;
            o.SnackbarConfiguration.HideTransitionDuration = 0;
            o.PopoverOptions.CheckForPopoverProvider = false;
        });
        JSInterop.Mode = JSRuntimeMode.Loose;
        DefaultWaitTimeout = TimeSpan.FromSeconds(10);
        Services.AddSingleton<TimeProvider>(Clock);
        Services.AddSingleton<IModelCatalog>(Catalog);
        Services.AddSingleton<ISummaryReader>(Summaries);
        Services.AddSingleton<IRangeSummaryReader>(Summaries);
        Services.AddSingleton<SharedTimelines>();
        Services.AddScoped<ModelWatch.Portal.Components.Shared.ChartScripts>();
        Services.AddSingleton<ILiveFeed>(Live);
        Services.AddSingleton(Microsoft.Extensions.Options.Options.Create(new LiveViewOptions { MinRenderInterval = TimeSpan.FromMilliseconds(250) }));
        Services.AddSingleton<IViewerResolver>(Viewers);
        Services.AddSingleton<ModelWatch.Engine.Audit.IAnnotationReader>(Annotations);
        Services.AddSingleton<ModelWatch.Portal.Components.Alerting.IFiringAlerts>(Firing);
        AddServices(Services);
        Authorization = AddAuthorization();
        SetRendererInfo(new Microsoft.AspNetCore.Components.RendererInfo("Server", isInteractive: true)); // after services: it builds the renderer
    }

    /// <summary>Where a derived context registers its own services: the renderer below fixes the container.</summary>
    protected virtual void AddServices(IServiceCollection services) { }

    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 3, 2, 12, 0, 0, TimeSpan.Zero));
    public FakeCatalog Catalog { get; } = new();
    public FakeViewers Viewers { get; } = new();
    public BunitAuthorizationContext Authorization { get; }
    public FakeSummaries Summaries { get; } = new();
    public FakeLiveFeed Live { get; } = new();
    public FakeAnnotations Annotations { get; } = new();
    public FakeFiringAlerts Firing { get; } = new();

    public static Viewer Dana => new(new Caller("user:dana", Roles.DataScientist, new HashSet<string> { "payments-risk", "growth-analytics" }, new HashSet<string>()), "dana", "Dana Scientist");
    public static Viewer Omar => new(new Caller("user:omar", Roles.OpsEngineer, new HashSet<string> { "payments-risk", "operations" }, new HashSet<string>()), "omar", "Omar Ops");
    public static Viewer Admin => new(new Caller("user:admin", Roles.Admin, new HashSet<string>(), new HashSet<string>()), "admin", "Administrator");
}

/// <summary>The model page's chart annotations, as a test lists them.</summary>
public sealed class FakeAnnotations : ModelWatch.Engine.Audit.IAnnotationReader
{
    public List<ModelWatch.Engine.Audit.Annotation> Items { get; } = [];
    public IReadOnlyList<ModelWatch.Engine.Audit.Annotation> For(string modelId, DateTimeOffset from, DateTimeOffset to) =>
        Items.Where(a => a.At >= from && a.At < to).ToList();
}

/// <summary>Resolves every signed-in principal to <see cref="Current"/>.</summary>
public sealed class FakeViewers : IViewerResolver
{
    public Viewer? Current { get; set; }
    public Viewer? Resolve(System.Security.Claims.ClaimsPrincipal principal) => principal.Identity?.IsAuthenticated == true ? Current : null;
}

public sealed class FakeCatalog : IModelCatalog
{
    public List<ModelDefinition> Models { get; } = [];
    public Dictionary<string, List<string>> VersionsByModel { get; } = [];

    public ModelDefinition Add(string id, string team, ModelTask task = ModelTask.BinaryClassification, params string[] versions)
    {
        var model = new ModelDefinition(Models.Count + 1, id, id.Replace('-', ' '), task, team, [], 0.5, 200, 500, DateTimeOffset.UnixEpoch,
            versions.Select((v, i) => (v, (long)i + 1)).ToDictionary(x => x.v, x => x.Item2));
        Models.Add(model);
        VersionsByModel[id] = [.. versions];
        return model;
    }

    public IReadOnlyList<ModelDefinition> Visible(Viewer viewer) => Models.Where(viewer.CanRead).ToList();
    public ModelDefinition? Find(string modelId) => Models.FirstOrDefault(m => m.Id == modelId);
    public IReadOnlyList<string> Versions(ModelDefinition model) => VersionsByModel.GetValueOrDefault(model.Id) ?? [];
}

public sealed class FakeSummaries : ISummaryReader, IRangeSummaryReader
{
    public List<(string Model, DateTimeOffset From, DateTimeOffset To)> RangeReads { get; } = [];

    public ModelSummary? GetSummary(string modelId, DateTimeOffset from, DateTimeOffset to, string? version = null)
    {
        RangeReads.Add((modelId, from, to));
        return ByModel.GetValueOrDefault(modelId);
    }

    public ModelTimeline? GetTimeline(string modelId, DateTimeOffset from, DateTimeOffset to, string? version = null) => Timelines.GetValueOrDefault(modelId);

    public Dictionary<string, ModelSummary> ByModel { get; } = [];
    public Dictionary<string, ModelTimeline> Timelines { get; } = [];
    public List<(string Model, SummaryWindow Window, string? Version)> Reads { get; } = [];
    public Exception? Failure { get; set; }
    public int TimelineReads { get; private set; }

    public ModelSummary? GetSummary(string modelId, SummaryWindow window, string? version = null)
    {
        Reads.Add((modelId, window, version));
        if (Failure is not null) throw Failure;
        return ByModel.GetValueOrDefault(modelId);
    }

    public ModelTimeline? GetTimeline(string modelId, SummaryWindow window, string? version = null)
    {
        TimelineReads++;
        if (Failure is not null) throw Failure;
        return Timelines.GetValueOrDefault(modelId);
    }
}

/// <summary>Records subscriptions; Push delivers an update synchronously, like the feed's background thread would.</summary>
public sealed class FakeLiveFeed : ILiveFeed
{
    private readonly List<Sub> _subs = [];

    public IReadOnlyList<(string Model, SummaryWindow Window, string? Version)> Active => _subs.Where(s => !s.Disposed).Select(s => s.Key).ToList();

    public IDisposable Subscribe(string modelId, SummaryWindow window, string? version, Action<LiveUpdate> onUpdate)
    {
        var sub = new Sub((modelId, window, version), onUpdate);
        _subs.Add(sub);
        return sub;
    }

    public void Push(LiveUpdate update)
    {
        foreach (var sub in _subs.Where(s => !s.Disposed && s.Key.Item1 == update.Summary.ModelId).ToList()) sub.OnUpdate(update);
    }

    private sealed class Sub((string, SummaryWindow, string?) key, Action<LiveUpdate> onUpdate) : IDisposable
    {
        public (string, SummaryWindow, string?) Key { get; } = key;
        public Action<LiveUpdate> OnUpdate { get; } = onUpdate;
        public bool Disposed { get; private set; }
        public void Dispose() => Disposed = true;
    }
}

/// <summary>Firing alerts by model as a test sets them; the real FiringAlerts is tested on the engine in AlertingComponents.</summary>
public sealed class FakeFiringAlerts : ModelWatch.Portal.Components.Alerting.IFiringAlerts
{
    public Dictionary<string, ModelWatch.Portal.Components.Alerting.FiringSummary> ByModel { get; } = [];

    public List<ModelWatch.Portal.Components.Alerting.AlertSpan> SpansOfAll { get; } = [];

    public ModelWatch.Portal.Components.Alerting.FiringSummary Of(string modelId) => ByModel.GetValueOrDefault(modelId) ?? ModelWatch.Portal.Components.Alerting.FiringSummary.None;

    public IReadOnlyList<ModelWatch.Portal.Components.Alerting.AlertSpan> Spans(string modelId, DateTimeOffset since) => SpansOfAll;
}
