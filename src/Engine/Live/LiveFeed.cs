using System.Collections.Concurrent;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using ModelWatch.Engine.Windows;

namespace ModelWatch.Engine.Live;

/// <summary>
/// Fans summaries out to subscribers. Models whose buckets changed are marked dirty; every interval each watched
/// (model, window, version) that is dirty, or whose window has slid on, is summarised once and handed to all of its
/// subscribers, however many there are.
/// </summary>
public sealed class LiveFeed : ILiveFeed, IHostedService, IDisposable
{
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan QuietRefresh = TimeSpan.FromSeconds(5);

    private readonly SummaryService _summaries;
    private readonly BucketStore _buckets;
    private readonly TimeProvider _clock;
    private readonly ILogger<LiveFeed> _logger;
    private readonly ConcurrentDictionary<(string Model, SummaryWindow Window, string? Version), Topic> _topics = new();
    private readonly ConcurrentDictionary<string, byte> _dirty = new(StringComparer.Ordinal);
    private ITimer? _timer;
    private int _ticking;

    public LiveFeed(SummaryService summaries, BucketStore buckets, TimeProvider clock, ILogger<LiveFeed> logger)
    {
        _summaries = summaries;
        _buckets = buckets;
        _clock = clock;
        _logger = logger;
        _buckets.Changed += MarkDirty;
    }

    public TimeSpan Interval { get; init; } = DefaultInterval;

    public IDisposable Subscribe(string modelId, SummaryWindow window, string? version, Action<LiveUpdate> onUpdate)
    {
        var key = (modelId, window, string.IsNullOrEmpty(version) ? null : version);
        var subscription = new Subscription(this, key, onUpdate);
        _topics.GetOrAdd(key, _ => new Topic()).Add(subscription);
        _dirty[modelId] = 0; // a new subscriber gets a first update on the next tick
        return subscription;
    }

    public int SubscriberCount => _topics.Values.Sum(t => t.Count);

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _timer = _clock.CreateTimer(_ => Tick(), null, Interval, Interval);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _timer?.Dispose();
        return Task.CompletedTask;
    }

    /// <summary>One round: summarise each watched topic that needs it and deliver. Public for tests.</summary>
    public void Tick()
    {
        if (Interlocked.Exchange(ref _ticking, 1) == 1) return; // a slow round is not overlapped by the next
        try
        {
            var now = _clock.GetUtcNow();
            var dirty = _dirty.Keys.ToHashSet(StringComparer.Ordinal);
            foreach (var model in dirty) _dirty.TryRemove(model, out _);
            foreach (var (key, topic) in _topics)
            {
                if (topic.Count == 0) { _topics.TryRemove(new KeyValuePair<(string, SummaryWindow, string?), Topic>(key, topic)); continue; }
                if (!dirty.Contains(key.Model) && now - topic.LastSent < QuietRefresh) continue;
                var summary = _summaries.GetSummary(key.Model, key.Window, key.Version);
                var latest = _summaries.GetLatestPoint(key.Model, key.Window, key.Version);
                if (summary is null || latest is null) continue;
                topic.LastSent = now;
                topic.Deliver(new LiveUpdate(summary, latest), _logger);
            }
        }
        catch (Exception e)
        {
            _logger.LogError(e, "Live summary round failed");
        }
        finally
        {
            Volatile.Write(ref _ticking, 0);
        }
    }

    private void MarkDirty(IReadOnlyCollection<string> models)
    {
        foreach (var model in models) _dirty[model] = 0;
    }

    private void Remove(Subscription subscription)
    {
        if (_topics.TryGetValue(subscription.Key, out var topic)) topic.Remove(subscription);
    }

    public void Dispose()
    {
        _buckets.Changed -= MarkDirty;
        _timer?.Dispose();
    }

    private sealed class Topic
    {
        private readonly Lock _lock = new();
        private Subscription[] _subscribers = [];

        public DateTimeOffset LastSent { get; set; }
        public int Count => _subscribers.Length;

        public void Add(Subscription s) { lock (_lock) _subscribers = [.. _subscribers, s]; }
        public void Remove(Subscription s) { lock (_lock) _subscribers = _subscribers.Where(x => x != s).ToArray(); }

        public void Deliver(LiveUpdate update, ILogger logger)
        {
            foreach (var s in _subscribers)
            {
                try { s.OnUpdate(update); }
                catch (Exception e) { logger.LogWarning(e, "A live subscriber of {Model} failed", update.Summary.ModelId); }
            }
        }
    }

    private sealed class Subscription(LiveFeed feed, (string, SummaryWindow, string?) key, Action<LiveUpdate> onUpdate) : IDisposable
    {
        public (string Model, SummaryWindow Window, string? Version) Key { get; } = key;
        public Action<LiveUpdate> OnUpdate { get; } = onUpdate;
        public void Dispose() => feed.Remove(this);
    }
}
