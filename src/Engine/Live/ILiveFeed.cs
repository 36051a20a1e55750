using ModelWatch.Engine.Windows;

namespace ModelWatch.Engine.Live;

/// <summary>What a live subscriber receives: the window's summary and the newest timeline step to append to charts.</summary>
public sealed record LiveUpdate(ModelSummary Summary, TimelinePoint Latest);

/// <summary>
/// Announces fresh summaries of models that received data. Each (model, window, version) summary is computed once
/// per interval however many subscribers watch, and handed to every subscriber.
/// </summary>
public interface ILiveFeed
{
    /// <summary>Callbacks run on a background thread; UI callers marshal with InvokeAsync. Dispose to stop.</summary>
    IDisposable Subscribe(string modelId, SummaryWindow window, string? version, Action<LiveUpdate> onUpdate);
}

/// <summary>Reads summaries and timelines on demand (page load, API).</summary>
public interface ISummaryReader
{
    ModelSummary? GetSummary(string modelId, SummaryWindow window, string? version = null);
    ModelTimeline? GetTimeline(string modelId, SummaryWindow window, string? version = null);
}

/// <summary>Reads summaries and timelines over any range (an absolute time range on a page, a zoomed chart).</summary>
public interface IRangeSummaryReader
{
    ModelSummary? GetSummary(string modelId, DateTimeOffset from, DateTimeOffset to, string? version = null);
    ModelTimeline? GetTimeline(string modelId, DateTimeOffset from, DateTimeOffset to, string? version = null);
}
