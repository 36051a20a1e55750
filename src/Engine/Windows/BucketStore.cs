using System.Collections.Concurrent;
using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using ModelWatch.Engine.Ingestion;
using ModelWatch.Engine.Registry;

namespace ModelWatch.Engine.Windows;

/// <summary>
/// Keeps every model's minute buckets up to date as batches commit. The writer only queues the committed batches
/// here; a thread of our own folds them in, so aggregation never slows ingestion down. Started before the writer:
/// it first rebuilds the last week from stored events.
/// </summary>
public sealed class BucketStore : IIngestionObserver, IHostedService, IDisposable
{
    private readonly RegistryStore _registry;
    private readonly Baselines _baselines;
    private readonly EventReplayStore _replay;
    private readonly TimeProvider _clock;
    private readonly ILogger<BucketStore> _logger;
    private readonly ConcurrentDictionary<long, ModelBuckets> _models = new();
    private readonly Channel<IReadOnlyList<CommittedWrite>> _pending = Channel.CreateUnbounded<IReadOnlyList<CommittedWrite>>(new UnboundedChannelOptions { SingleReader = true });
    private Thread? _thread;
    private long _lastRollUpMinute;

    public BucketStore(RegistryStore registry, Baselines baselines, Storage.SqliteConnectionFactory connections, TimeProvider clock, ILogger<BucketStore> logger)
    {
        _registry = registry;
        _baselines = baselines;
        // A moved baseline changes no bucket, but the live feed must recompute the model's summaries.
        baselines.Invalidated += model => _pending.Writer.TryWrite([new CommittedWrite(model, [], [], [], [], [], ReferenceReplaced: true)]);
        _replay = new EventReplayStore(connections);
        _clock = clock;
        _logger = logger;
    }

    /// <summary>Caps on what a bucket keeps (<c>Portal:Aggregates:MaxCategoriesPerFeature</c>); set before start.</summary>
    public BucketLimits Limits { get; set; } = BucketLimits.Default;

    /// <summary>Raised on the aggregator thread with the ids of models whose buckets changed.</summary>
    public event Action<IReadOnlyCollection<string>>? Changed;

    public void OnCommitted(IReadOnlyList<CommittedWrite> writes) => _pending.Writer.TryWrite(writes);

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var maxRowId = _replay.MaxPredictionRowId();
        foreach (var model in _registry.ListModels()) Rebuild(model, maxRowId, includeOperational: true);
        _thread = new Thread(Run) { IsBackground = true, Name = "bucket-aggregator" };
        _thread.Start();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _pending.Writer.TryComplete();
        return Task.CompletedTask;
    }

    /// <summary>The buckets of a model, created on first use (a model with no traffic yet has empty buckets).</summary>
    internal ModelBuckets Buckets(ModelDefinition model) =>
        _models.GetOrAdd(model.Pk, _ => new ModelBuckets(model, Limits));

    /// <summary>Waits until every batch committed before this call is in the buckets (tests, benchmarks).</summary>
    public async Task FlushAsync(CancellationToken cancellationToken = default)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        // Queued before the marker, so the marker that the aggregator reaches always finds its own waiter.
        _flushes.Enqueue(done);
        _pending.Writer.TryWrite([new CommittedWrite(FlushMarker, [], [], [], [], [])]);
        await done.Task.WaitAsync(cancellationToken);
    }

    private static readonly ModelDefinition FlushMarker = new(-1, "", "", ModelTask.Regression, null, [], 0.5, null, null, default, new Dictionary<string, long>());
    private readonly ConcurrentQueue<TaskCompletionSource> _flushes = new();

    private void Run()
    {
        var reader = _pending.Reader;
        while (reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult())
        {
            var changed = new HashSet<string>(StringComparer.Ordinal);
            while (reader.TryRead(out var writes))
            {
                foreach (var write in writes)
                {
                    try
                    {
                        if (ReferenceEquals(write.Model, FlushMarker)) { if (_flushes.TryDequeue(out var flush)) flush.TrySetResult(); continue; }
                        Apply(write);
                        changed.Add(write.Model.Id);
                    }
                    catch (Exception e)
                    {
                        _logger.LogError(e, "Could not fold a committed batch of model {Model} into its buckets", write.Model.Id);
                    }
                }
            }
            RollUpWhenDue();
            if (changed.Count > 0) Changed?.Invoke(changed);
        }
    }

    private void Apply(CommittedWrite write)
    {
        if (write.ReferenceReplaced)
        {
            // Buckets do not depend on the baseline: a new reference only changes what they are compared with.
            _baselines.Forget(write.Model);
            return;
        }
        Buckets(write.Model).Apply(write, NowMinute());
    }

    /// <summary>Start-up: fill the buckets from stored events up to the watermark.</summary>
    private void Rebuild(ModelDefinition model, long maxRowId, bool includeOperational)
    {
        var buckets = _models.GetOrAdd(model.Pk, _ => new ModelBuckets(model, Limits));
        buckets.Reset();
        var now = NowMinute();
        var since = (now - ModelBuckets.RetentionMinutes) * 60_000;
        long events = 0;
        foreach (var write in _replay.Replay(model, since, maxRowId, includeOperational))
        {
            buckets.Apply(write, now, replayed: true);
            events += write.Predictions.Count;
        }
        if (includeOperational)
        {
            // Start-up: the month's spend comes from the tables, not from the week the buckets hold.
            var monthStart = ModelBuckets.MonthStart(_clock.GetUtcNow());
            var (spent, firstSpend) = _replay.SpentSince(model, monthStart, maxRowId);
            buckets.StartMonth(monthStart, spent, firstSpend);
        }
        buckets.RollUp(now);
        if (events > 0) _logger.LogInformation("Rebuilt the buckets of {Model} from {Events} stored predictions", model.Id, events);
    }

    private void RollUpWhenDue()
    {
        var now = NowMinute();
        if (now - _lastRollUpMinute < 5) return;
        _lastRollUpMinute = now;
        foreach (var buckets in _models.Values) buckets.RollUp(now);
    }

    private long NowMinute() => _clock.GetUtcNow().ToUnixTimeMilliseconds() / 60_000;

    public void Dispose() => _pending.Writer.TryComplete();
}
