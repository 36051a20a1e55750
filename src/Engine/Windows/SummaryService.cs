using ModelWatch.Engine.Live;
using ModelWatch.Engine.Registry;
using ModelWatch.Engine.Statistics.Drift;

namespace ModelWatch.Engine.Windows;

/// <summary>Summaries and timelines of a model over a window ending now, merged from its buckets.</summary>
public sealed class SummaryService(RegistryStore registry, BucketStore buckets, TimeProvider clock) : ISummaryReader
{
    public DriftPolicy Policy { get; init; } = DriftPolicy.Default;

    public ModelSummary? GetSummary(string modelId, SummaryWindow window, string? version = null)
    {
        if (!TryResolve(modelId, version, out var model, out var versionPk)) return null;
        var now = clock.GetUtcNow();
        var (fromMinute, toMinute) = Range(now, window);
        var store = buckets.Buckets(model);
        var (current, system) = store.Merge(fromMinute, toMinute, versionPk);
        var drift = new DriftComparer(store.Layout, ReferenceFor(model, versionPk), Policy);
        return SummaryBuilder.Summary(model, window, version, At(fromMinute), At(toMinute), now, current, system, drift, Policy,
            store.MonthToDateUsd(now), store.SpendingSince(now), store.LastEventAt);
    }

    public ModelTimeline? GetTimeline(string modelId, SummaryWindow window, string? version = null)
    {
        if (!TryResolve(modelId, version, out var model, out var versionPk)) return null;
        var now = clock.GetUtcNow();
        var step = window.Step();
        var stepMinutes = (long)step.TotalMinutes;
        var (fromMinute, toMinute) = Range(now, window);
        fromMinute -= fromMinute % stepMinutes; // align steps so consecutive reads line up point for point
        var store = buckets.Buckets(model);
        var drift = new DriftComparer(store.Layout, ReferenceFor(model, versionPk), Policy);
        var points = new List<TimelinePoint>();
        for (var start = fromMinute; start < toMinute; start += stepMinutes)
        {
            var (current, system) = store.Merge(start, Math.Min(start + stepMinutes, toMinute), versionPk);
            points.Add(SummaryBuilder.Point(model, At(start), step, current, system, drift, Policy));
        }
        return new ModelTimeline(model.Id, window.ToName(), version, At(fromMinute), At(toMinute), step, points);
    }

    /// <summary>The newest step of a timeline: what a live chart appends.</summary>
    public TimelinePoint? GetLatestPoint(string modelId, SummaryWindow window, string? version = null)
    {
        if (!TryResolve(modelId, version, out var model, out var versionPk)) return null;
        var now = clock.GetUtcNow();
        var stepMinutes = (long)window.Step().TotalMinutes;
        var toMinute = now.ToUnixTimeMilliseconds() / 60_000 + 1;
        var start = toMinute - 1 - (toMinute - 1) % stepMinutes;
        var store = buckets.Buckets(model);
        var drift = new DriftComparer(store.Layout, ReferenceFor(model, versionPk), Policy);
        var (current, system) = store.Merge(start, toMinute, versionPk);
        return SummaryBuilder.Point(model, At(start), window.Step(), current, system, drift, Policy);
    }

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

    /// <summary>A chosen version is compared with its own baseline; all versions with the model's baseline.</summary>
    private ReferenceSample? ReferenceFor(ModelDefinition model, long? versionPk) =>
        versionPk is { } pk ? buckets.Reference(model, pk) ?? buckets.Baseline(model) : buckets.Baseline(model);

    /// <summary>The window ends with the current (partial) minute, so fresh events show at once.</summary>
    private static (long From, long To) Range(DateTimeOffset now, SummaryWindow window)
    {
        var to = now.ToUnixTimeMilliseconds() / 60_000 + 1;
        return (to - (long)window.Length().TotalMinutes, to);
    }

    private static DateTimeOffset At(long minute) => DateTimeOffset.FromUnixTimeMilliseconds(minute * 60_000);
}
