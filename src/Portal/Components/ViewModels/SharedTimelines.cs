using System.Collections.Concurrent;
using ModelWatch.Engine.Live;
using ModelWatch.Engine.Windows;

namespace ModelWatch.Portal.Components.ViewModels;

/// <summary>
/// The timeline a model page opens with, shared by the pages that open the same (model, window, version) within a few
/// seconds of each other: at an incident many people open the same model, and each page would otherwise hold its own
/// copy of every point. The points are immutable; live updates then extend each page's own buffer.
/// </summary>
public sealed class SharedTimelines(ISummaryReader summaries, TimeProvider clock)
{
    /// <summary>How old a shared timeline may be. Live updates correct the newest step as soon as the page subscribes.</summary>
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(5);

    private readonly ConcurrentDictionary<(string Model, SummaryWindow Window, string? Version), (DateTimeOffset At, ModelTimeline? Timeline)> _recent = new();

    public ModelTimeline? Get(string modelId, SummaryWindow window, string? version)
    {
        var key = (modelId, window, version);
        var now = clock.GetUtcNow();
        if (_recent.TryGetValue(key, out var entry) && now - entry.At < MaxAge) return entry.Timeline;
        var timeline = summaries.GetTimeline(modelId, window, version);
        _recent[key] = (now, timeline);
        foreach (var (oldKey, old) in _recent)
            if (now - old.At >= MaxAge) _recent.TryRemove(oldKey, out _); // nothing outlives its age: no growth with many models
        return timeline;
    }
}
