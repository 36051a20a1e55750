using System.Collections.Concurrent;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using ModelWatch.Engine.Windows;

namespace ModelWatch.Engine.Live;

/// <summary>
/// Fans summaries out to subscribers. A bucket change marks the model's topics dirty and wakes a round at once, or when
/// the topic's interval since its last update is over: each watched (model, window, version) is summarised at most once
/// per interval, however many subscribers it has, and quiet topics are refreshed as their window slides on.
/// </summary>
public sealed class LiveFeed : ILiveFeed, IHostedService, IDisposable
{
    public static readonly TimeSpan DefaultInterval = new LiveOptions().Interval;
    private static readonly TimeSpan QuietRefresh = TimeSpan.FromSeconds(5);

    private readonly SummaryService _summaries;
    private readonly BucketStore _buckets;
    private readonly TimeProvider _clock;
    private readonly ILogger<LiveFeed> _logger;
    private readonly ConcurrentDictionary<(string Model, SummaryWindow Window, string? Version), Topic> _topics = new();
    private readonly Lock _wakeLock = new();
    private ITimer? _wake;
    private DateTimeOffset _wakeAt = DateTimeOffset.MaxValue;
    private int _ticking;

    public LiveFeed(SummaryService summaries, BucketStore buckets, TimeProvider clock, ILogger<LiveFeed> logger)
    {
        _summaries = summaries;
        _buckets = buckets;
        _clock = clock;
        _logger = logger;
        _buckets.Changed += MarkDirty;
    }

    /// <summary>The shortest time between two updates of one topic.</summary>
    public TimeSpan Interval { get; init; } = DefaultInterval;

    public IDisposable Subscribe(string modelId, SummaryWindow window, string? version, Action<LiveUpdate> onUpdate)
    {
        var key = (modelId, window, string.IsNullOrEmpty(version) ? null : version);
        var subscription = new Subscription(this, key, onUpdate);
        var topic = _topics.GetOrAdd(key, _ => new Topic());
        topic.Add(subscription);
        topic.MarkDirty(); // a new subscriber gets a first update on the next round
        WakeWhenDue();
        return subscription;
    }

    public int SubscriberCount => _topics.Values.Sum(t => t.Count);

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _wake = _clock.CreateTimer(_ => Round(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        WakeWhenDue();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _wake?.Dispose();
        return Task.CompletedTask;
    }

    /// <summary>One round: summarise each watched topic that needs it and deliver. Public for tests.</summary>
    public void Tick()
    {
        if (Interlocked.Exchange(ref _ticking, 1) == 1) return; // the running round schedules the next one when it ends
        try
        {
            var now = _clock.GetUtcNow();
            foreach (var (key, topic) in _topics)
            {
                if (topic.Count == 0) { _topics.TryRemove(new KeyValuePair<(string, SummaryWindow, string?), Topic>(key, topic)); continue; }
                var since = now - topic.LastSent;
                if (topic.Dirty ? since < Interval : since < QuietRefresh) continue; // a dirty topic not yet due stays dirty
                topic.ClearDirty(); // before reading: a batch folded while we compute marks it again
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
        WakeWhenDue();
    }

    private void Round()
    {
        lock (_wakeLock) _wakeAt = DateTimeOffset.MaxValue;
        Tick();
    }

    /// <summary>
    /// Sets the timer for the earliest moment a dirty topic may be sent, or one interval ahead when none is dirty, so
    /// sliding windows still refresh. An update goes out as soon as its change is folded, not on the next fixed tick.
    /// </summary>
    private void WakeWhenDue()
    {
        if (_wake is null) return;
        var now = _clock.GetUtcNow();
        var due = now + Interval;
        foreach (var topic in _topics.Values)
            if (topic.Dirty && topic.LastSent + Interval < due) due = topic.LastSent + Interval;
        if (due < now) due = now;
        lock (_wakeLock)
        {
            if (due >= _wakeAt) return; // an earlier wake is already set
            _wakeAt = due;
            _wake?.Change(due - now, Timeout.InfiniteTimeSpan);
        }
    }

    private void MarkDirty(IReadOnlyCollection<string> models)
    {
        foreach (var (key, topic) in _topics)
            if (models.Contains(key.Model)) topic.MarkDirty();
        WakeWhenDue();
    }

    private void Remove(Subscription subscription)
    {
        if (_topics.TryGetValue(subscription.Key, out var topic)) topic.Remove(subscription);
    }

    public void Dispose()
    {
        _buckets.Changed -= MarkDirty;
        _wake?.Dispose();
    }

    private sealed class Topic
    {
        private readonly Lock _lock = new();
        private Subscription[] _subscribers = [];
        private int _dirty;
        private long _lastSentTicks = DateTimeOffset.MinValue.UtcTicks; // read by the aggregator thread: no torn DateTimeOffset

        public DateTimeOffset LastSent
        {
            get => new(Volatile.Read(ref _lastSentTicks), TimeSpan.Zero);
            set => Volatile.Write(ref _lastSentTicks, value.UtcTicks);
        }
        public int Count => _subscribers.Length;
        public bool Dirty => Volatile.Read(ref _dirty) == 1;
        public void MarkDirty() => Volatile.Write(ref _dirty, 1);
        public void ClearDirty() => Volatile.Write(ref _dirty, 0);

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
