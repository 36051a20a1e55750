using System.ComponentModel.DataAnnotations;

namespace ModelWatch.Portal.Components.ViewModels;

/// <summary>How often live panels may re-render. Bound from Portal:Ui.</summary>
public sealed class LiveViewOptions
{
    /// <summary>At most one render per interval; 250 ms keeps panels at four renders a second.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:01:00")]
    public TimeSpan MinRenderInterval { get; set; } = TimeSpan.FromMilliseconds(250);
}

/// <summary>
/// Coalesces items posted from any thread and hands them to <c>flush</c> at most once per interval:
/// the first item after a quiet period flushes at once, later ones wait for the interval and go together.
/// Time comes from <see cref="TimeProvider"/> so tests drive it with FakeTimeProvider.Advance.
/// </summary>
public sealed class LiveThrottle<T> : IDisposable
{
    private readonly TimeProvider _clock;
    private readonly TimeSpan _interval;
    private readonly Func<IReadOnlyList<T>, Task> _flush;
    private readonly Lock _gate = new();
    private List<T> _pending = [];
    private ITimer? _timer;
    private long _lastFlush = long.MinValue;
    private bool _disposed;

    public LiveThrottle(TimeProvider clock, TimeSpan interval, Func<IReadOnlyList<T>, Task> flush)
    {
        _clock = clock;
        _interval = interval;
        _flush = flush;
    }

    public int Flushes { get; private set; }

    public void Post(T item)
    {
        bool flushNow;
        lock (_gate)
        {
            if (_disposed) return;
            _pending.Add(item);
            if (_timer is not null) return; // a flush is already scheduled; this item rides along
            var due = _lastFlush == long.MinValue ? TimeSpan.Zero : _interval - _clock.GetElapsedTime(_lastFlush);
            flushNow = due <= TimeSpan.Zero;
            if (!flushNow) _timer = _clock.CreateTimer(_ => _ = FlushAsync(), null, due, Timeout.InfiniteTimeSpan);
        }
        if (flushNow) _ = FlushAsync();
    }

    private Task FlushAsync()
    {
        List<T> batch;
        lock (_gate)
        {
            _timer?.Dispose();
            _timer = null;
            if (_disposed || _pending.Count == 0) return Task.CompletedTask;
            batch = _pending;
            _pending = [];
            _lastFlush = _clock.GetTimestamp();
            Flushes++;
        }
        return _flush(batch);
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            _timer?.Dispose();
            _timer = null;
            _pending = [];
        }
    }
}
