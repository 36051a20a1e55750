using ModelWatch.Engine.Live;
using ModelWatch.Engine.Registry;

namespace ModelWatch.Engine.Windows;

/// <summary>Summaries and timelines of a model over a window ending now, merged from its buckets.</summary>
public sealed class SummaryService(RegistryStore registry, BucketStore buckets, Baselines baselines, TimeProvider clock, DriftSettingsStore? settings = null, MetricOptions? metrics = null) : ISummaryReader, IRangeSummaryReader
{
    private readonly MetricOptions _metrics = metrics ?? new MetricOptions();

    private readonly System.Collections.Concurrent.ConcurrentDictionary<(long, long?, DateTimeOffset, DateTimeOffset), (DateTimeOffset At, WindowReference Reference)> _windowReferences = new();

    public ModelSummary? GetSummary(string modelId, SummaryWindow window, string? version = null)
    {
        var now = clock.GetUtcNow();
        var (fromMinute, toMinute) = Range(now, window);
        return Summary(modelId, window.ToName(), fromMinute, toMinute, now, version);
    }

    /// <summary>Any range (ISO 8601 from/to on the API): minute precision where the minute tier still holds it, else the hour's or the day's.</summary>
    public ModelSummary? GetSummary(string modelId, DateTimeOffset from, DateTimeOffset to, string? version = null) =>
        Summary(modelId, "custom", Minute(from), CeilingMinute(to), clock.GetUtcNow(), version);

    public ModelTimeline? GetTimeline(string modelId, SummaryWindow window, string? version = null)
    {
        var now = clock.GetUtcNow();
        var (fromMinute, toMinute) = Range(now, window);
        return Timeline(modelId, window.ToName(), fromMinute, toMinute, window.Step(), now, version);
    }

    public ModelTimeline? GetTimeline(string modelId, DateTimeOffset from, DateTimeOffset to, string? version = null)
    {
        var (fromMinute, toMinute) = (Minute(from), CeilingMinute(to));
        return Timeline(modelId, "custom", fromMinute, toMinute, CustomStep(toMinute - fromMinute), clock.GetUtcNow(), version);
    }

    /// <summary>The step of a custom range's timeline: whole slots of a tier, about 24 to 120 points.</summary>
    public static TimeSpan CustomStep(long minutes) => minutes switch
    {
        <= 120 => TimeSpan.FromMinutes(1),
        <= 2 * 1440 => TimeSpan.FromHours(1),
        <= 14 * 1440 => TimeSpan.FromHours(3),
        <= 60 * 1440 => TimeSpan.FromDays(1),
        _ => TimeSpan.FromDays(3),
    };

    private ModelSummary? Summary(string modelId, string windowName, long fromMinute, long toMinute, DateTimeOffset now, string? version)
    {
        if (!TryResolve(modelId, version, out var model, out var versionPk)) return null;
        var nowMinute = NowMinute(now);
        var store = buckets.Buckets(model);
        var (current, system) = store.Merge(fromMinute, toMinute, versionPk, nowMinute);
        return SummaryBuilder.Summary(model, windowName, version, At(fromMinute), At(toMinute), now, current, system, Comparer(model, store, versionPk),
            store.MonthToDateUsd(now), store.SpendingSince(now), store.LastEventAt, _metrics, RecentSpend(store, toMinute),
            AllVersionsIfNeeded(store, fromMinute, toMinute, versionPk, system, nowMinute));
    }

    private ModelTimeline? Timeline(string modelId, string windowName, long fromMinute, long toMinute, TimeSpan step, DateTimeOffset now, string? version)
    {
        if (!TryResolve(modelId, version, out var model, out var versionPk)) return null;
        var nowMinute = NowMinute(now);
        var stepMinutes = (long)step.TotalMinutes;
        fromMinute = StepStart(fromMinute, stepMinutes); // align steps so consecutive reads line up point for point
        var store = buckets.Buckets(model);
        var drift = Comparer(model, store, versionPk);
        var historyStart = store.FirstDataMinute(fromMinute, toMinute, nowMinute);
        var points = new List<TimelinePoint>();
        for (var start = fromMinute; start < toMinute; start += stepMinutes)
        {
            var end = Math.Min(start + stepMinutes, toMinute);
            var (current, system) = store.Merge(start, end, versionPk, nowMinute);
            points.Add(SummaryBuilder.Point(model, At(start), step, current, system, drift, _metrics, At(historyStart), now,
                versionPk is not null, AllVersionsIfNeeded(store, start, end, versionPk, system, nowMinute)));
        }
        return new ModelTimeline(model.Id, windowName, version, At(fromMinute), At(toMinute), step, points, At(historyStart));
    }

    /// <summary>The newest step of a timeline: what a live chart appends.</summary>
    public TimelinePoint? GetLatestPoint(string modelId, SummaryWindow window, string? version = null)
    {
        if (!TryResolve(modelId, version, out var model, out var versionPk)) return null;
        var now = clock.GetUtcNow();
        var nowMinute = NowMinute(now);
        var (fromMinute, toMinute) = Range(now, window);
        var stepMinutes = (long)window.Step().TotalMinutes;
        var start = StepStart(toMinute - 1, stepMinutes); // the timeline's last step
        var store = buckets.Buckets(model);
        var (current, system) = store.Merge(start, toMinute, versionPk, nowMinute);
        var historyStart = store.FirstDataMinute(StepStart(fromMinute, stepMinutes), toMinute, nowMinute);
        return SummaryBuilder.Point(model, At(start), window.Step(), current, system, Comparer(model, store, versionPk), _metrics, At(historyStart), now,
            versionPk is not null, AllVersionsIfNeeded(store, start, toMinute, versionPk, system, nowMinute));
    }

    private static long NowMinute(DateTimeOffset now) => now.ToUnixTimeMilliseconds() / 60_000;

    private static long Minute(DateTimeOffset at) => Math.DivRem(at.ToUnixTimeMilliseconds(), 60_000, out var r) - (r < 0 ? 1 : 0);

    private static long CeilingMinute(DateTimeOffset at) => -Minute(DateTimeOffset.FromUnixTimeMilliseconds(-at.ToUnixTimeMilliseconds()));

    private DriftComparer Comparer(ModelDefinition model, ModelBuckets store, long? versionPk)
    {
        var modelSettings = settings?.Get(model) ?? DriftSettings.Default;
        return new DriftComparer(model, ReferenceFor(model, store, versionPk, modelSettings), modelSettings, store.Limits.MaxCategoriesPerFeature);
    }

    /// <summary>For one version, errors no version was named for make its own rate unknowable: merge all versions to show the model-wide one.</summary>
    private static MinuteBucket? AllVersionsIfNeeded(ModelBuckets store, long fromMinute, long toMinute, long? versionPk, SystemBucket system, long nowMinute) =>
        versionPk is not null && system.Errors > 0 ? store.Merge(fromMinute, toMinute, null, nowMinute).Predictions : null;

    private bool TryResolve(string modelId, string? version, out ModelDefinition model, out long? versionPk)
    {
        model = registry.FindModel(modelId)!;
        versionPk = null;
        if (model is null) return false;
        if (string.IsNullOrEmpty(version)) return true;
        if (!model.VersionKeys.TryGetValue(version, out var pk)) return false;
        versionPk = pk;
        return true;
    }

    /// <summary>
    /// A chosen production window if the model is set up that way (for the chosen version, or all); otherwise a
    /// chosen version is compared with its own baseline, and all versions with the model's baseline.
    /// </summary>
    private IDriftReference? ReferenceFor(ModelDefinition model, ModelBuckets store, long? versionPk, DriftSettings modelSettings)
    {
        if (modelSettings.Reference is { IsWindow: true, From: { } from, To: { } to })
        {
            // A past window hardly changes, and live panels ask several times a second: merge it once a minute.
            var key = (model.Pk, versionPk, from, to);
            var now = clock.GetUtcNow();
            if (_windowReferences.TryGetValue(key, out var cached) && now - cached.At < TimeSpan.FromMinutes(1))
                return cached.Reference;
            var (window, _) = store.Merge(from.ToUnixTimeMilliseconds() / 60_000, to.ToUnixTimeMilliseconds() / 60_000, versionPk, NowMinute(now));
            var reference = new WindowReference(window, from, to);
            _windowReferences[key] = (now, reference);
            return reference;
        }
        return baselines.For(model, versionPk);
    }

    /// <summary>The window ends with the current (partial) minute, so fresh events show at once; it starts on its tier's slot.</summary>
    private static (long From, long To) Range(DateTimeOffset now, SummaryWindow window)
    {
        var to = now.ToUnixTimeMilliseconds() / 60_000 + 1;
        return (window.Resolution().SlotStart(to - (long)window.Length().TotalMinutes), to);
    }

    private static long StepStart(long minute, long stepMinutes) => minute - minute % stepMinutes;

    private static DateTimeOffset At(long minute) => DateTimeOffset.FromUnixTimeMilliseconds(minute * 60_000);

    private static DateTimeOffset? At(long? minute) => minute is { } m ? At(m) : null;

    /// <summary>Spend over the run-rate window, measured from the first spending inside it (a young model is not diluted).</summary>
    private Statistics.Cost.RecentSpend RecentSpend(ModelBuckets store, long toMinute)
    {
        var from = toMinute - (long)_metrics.CostRunRateWindow.TotalMinutes;
        var (usd, first) = store.SpendBetween(from, toMinute, NowMinute(clock.GetUtcNow()));
        var now = clock.GetUtcNow();
        // No spend inside the window but some earlier this month: the run-rate is a real zero.
        var start = first is { } f ? At(Math.Max(f, from)) : (DateTimeOffset?)null;
        // Buckets know the minute; the month's first spend is known to the millisecond, so a young model's rate is exact.
        if (start is { } st && store.SpendingSince(now) is { } since && since > st && since < st.AddMinutes(1)) start = since;
        var span = start is { } s0 ? now - s0 : store.MonthToDateUsd(now) > 0 ? _metrics.CostRunRateWindow : TimeSpan.Zero;
        return new Statistics.Cost.RecentSpend((decimal)usd, span < TimeSpan.Zero ? TimeSpan.Zero : span);
    }
}
