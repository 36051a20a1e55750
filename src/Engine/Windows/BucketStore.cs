using System.Collections.Concurrent;
using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using ModelWatch.Engine.Ingestion;
using ModelWatch.Engine.Registry;
using ModelWatch.Engine.Retention;

namespace ModelWatch.Engine.Windows;

/// <summary>
/// Keeps every model's aggregates up to date as batches commit. The writer only queues the committed batches here; a
/// thread of our own folds them into the open minutes, and every <c>Portal:Aggregates:FlushSeconds</c> writes those to
/// the stored tiers through the writer, with the watermark of the rows they cover. At start-up that thread first
/// replays only the rows above the watermark (the portal reports "starting" meanwhile), then, once, aggregates the
/// rows of a database made before the tiers (progress in the log and on /healthz).
/// </summary>
public sealed class BucketStore : IIngestionObserver, IHostedService, IDisposable
{
    private const int UpgradeChunkRows = 50_000;

    private readonly RegistryStore _registry;
    private readonly Baselines _baselines;
    private readonly EventReplayStore _replay;
    private readonly AggregateStore _store;
    private readonly TimeProvider _clock;
    private readonly ILogger<BucketStore> _logger;
    private readonly EngineHealth _health;
    private readonly AggregateOptions _options;
    private readonly RetentionOptions _retentionOptions;
    private readonly RetentionRounds _retentionRounds;
    private readonly ConcurrentDictionary<long, ModelBuckets> _models = new();
    private readonly Channel<IReadOnlyList<CommittedWrite>> _pending = Channel.CreateUnbounded<IReadOnlyList<CommittedWrite>>(new UnboundedChannelOptions { SingleReader = true });
    private readonly TaskCompletionSource _replayed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Thread? _thread;
    private Watermark _covered = Watermark.Zero;   // what the folded commits cover
    private Watermark _persisted = Watermark.Zero; // what the stored blobs cover
    private long _flushSeq;
    private Watermark _tailFrom = Watermark.Zero;

    public BucketStore(RegistryStore registry, Baselines baselines, Storage.SqliteConnectionFactory connections, TimeProvider clock, ILogger<BucketStore> logger,
        EngineHealth? health = null, Microsoft.Extensions.Options.IOptions<AggregateOptions>? aggregates = null, Microsoft.Extensions.Options.IOptions<RetentionOptions>? retention = null,
        AggregateCache? cache = null)
    {
        _registry = registry;
        _baselines = baselines;
        // A moved baseline changes no bucket, but the live feed must recompute the model's summaries.
        baselines.Invalidated += model => _pending.Writer.TryWrite([new CommittedWrite(model, [], [], [], [], [], ReferenceReplaced: true)]);
        _replay = new EventReplayStore(connections);
        _store = new AggregateStore(connections);
        _clock = clock;
        _logger = logger;
        _health = health ?? new EngineHealth();
        _options = aggregates?.Value ?? new AggregateOptions();
        _retentionOptions = retention?.Value ?? new RetentionOptions();
        Retention = new TierRetention(_retentionOptions);
        _retentionRounds = new RetentionRounds(_store, Retention, _retentionOptions, new RawPruner(connections, _retentionOptions, clock, logger), Submit, clock, logger);
        Cache = cache ?? new AggregateCache(_options.CacheMegabytes * 1024L * 1024L);
    }

    /// <summary>Caps on what a bucket keeps (<c>Portal:Aggregates:MaxCategoriesPerFeature</c>); set before start.</summary>
    public BucketLimits Limits { get; set; } = BucketLimits.Default;

    /// <summary>The single writer the flushes go through (set once the writer exists: it observes this store).</summary>
    public Func<IngestionWriter>? Writer { get; set; }

    public AggregateCache Cache { get; }

    public TierRetention Retention { get; }

    /// <summary>Completes once the tail above the watermark is replayed: summaries are whole from then on.</summary>
    public Task WhenReplayed => _replayed.Task;

    /// <summary>Raised on the aggregator thread with the ids of models whose buckets changed.</summary>
    public event Action<IReadOnlyCollection<string>>? Changed;

    public void OnCommitted(IReadOnlyList<CommittedWrite> writes) => _pending.Writer.TryWrite(writes);

    public Task StartAsync(CancellationToken cancellationToken)
    {
        // Read before the writer starts: rows up to _covered are replayed here, later ones arrive as commits.
        (_persisted, _flushSeq) = _store.ReadWatermark();
        _tailFrom = _persisted;
        _covered = _persisted.Max(_replay.Newest());
        _health.MarkStarting("replaying the rows stored after the last aggregate flush");
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
        _models.GetOrAdd(model.Pk, _ => new ModelBuckets(model, Limits, _store, Cache, Retention));

    /// <summary>Waits until every batch committed before this call is in the buckets and flushed to the tiers (tests, benchmarks).</summary>
    public async Task FlushAsync(CancellationToken cancellationToken = default)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        // Queued before the marker, so the marker that the aggregator reaches always finds its own waiter.
        _flushes.Enqueue(done);
        _pending.Writer.TryWrite([new CommittedWrite(FlushMarker, [], [], [], [], [])]);
        await done.Task.WaitAsync(cancellationToken);
    }

    /// <summary>Waits until every batch committed before this call is folded into the open minutes, without flushing them (tests).</summary>
    public async Task FoldedAsync(CancellationToken cancellationToken = default)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _folds.Enqueue(done);
        _pending.Writer.TryWrite([new CommittedWrite(FoldMarker, [], [], [], [], [])]);
        await done.Task.WaitAsync(cancellationToken);
    }

    /// <summary>Runs a pruning round now (tiers and raw events) after every batch committed before this call is folded; returns what raw retention deleted.</summary>
    public async Task<RawPruneReport> PruneAsync(CancellationToken cancellationToken = default)
    {
        var done = new TaskCompletionSource<RawPruneReport>(TaskCreationOptions.RunContinuationsAsynchronously);
        _prunes.Enqueue(done);
        _pending.Writer.TryWrite([new CommittedWrite(PruneMarker, [], [], [], [], [])]);
        return await done.Task.WaitAsync(cancellationToken);
    }

    private static readonly ModelDefinition PruneMarker = new(-6, "", "", ModelTask.Regression, null, [], 0.5, null, null, default, new Dictionary<string, long>());
    private readonly ConcurrentQueue<TaskCompletionSource<RawPruneReport>> _prunes = new();

    private static readonly ModelDefinition FoldMarker = new(-4, "", "", ModelTask.Regression, null, [], 0.5, null, null, default, new Dictionary<string, long>());
    private readonly ConcurrentQueue<TaskCompletionSource> _folds = new();

    private static readonly ModelDefinition FlushMarker = new(-1, "", "", ModelTask.Regression, null, [], 0.5, null, null, default, new Dictionary<string, long>());
    private readonly ConcurrentQueue<TaskCompletionSource> _flushes = new();

    private void Run()
    {
        try
        {
            ReplayTail();
        }
        catch (Exception e)
        {
            _logger.LogCritical(e, "Could not replay the stored rows after the last aggregate flush");
            _health.MarkFailed("the aggregate replay failed: " + e.Message);
        }
        finally
        {
            _health.MarkStarting(null);
            _replayed.TrySetResult();
        }
        Upgrade();

        var reader = _pending.Reader;
        var sinceFlush = Stopwatch.StartNew();
        var sincePrune = Stopwatch.StartNew();
        var flushEvery = TimeSpan.FromSeconds(_options.FlushSeconds);
        while (true)
        {
            using (var tick = new CancellationTokenSource(flushEvery))
            {
                try { if (!reader.WaitToReadAsync(tick.Token).AsTask().GetAwaiter().GetResult()) return; }
                catch (OperationCanceledException) { /* time to flush */ }
            }
            var changed = new HashSet<string>(StringComparer.Ordinal);
            var flushRequested = new List<TaskCompletionSource>();
            var pruneRequested = new List<TaskCompletionSource<RawPruneReport>>();
            while (reader.TryRead(out var writes))
            {
                foreach (var write in writes)
                {
                    try
                    {
                        if (ReferenceEquals(write.Model, FlushMarker)) { if (_flushes.TryDequeue(out var flush)) flushRequested.Add(flush); continue; }
                        if (ReferenceEquals(write.Model, PruneMarker)) { if (_prunes.TryDequeue(out var prune)) pruneRequested.Add(prune); continue; }
                        if (ReferenceEquals(write.Model, FoldMarker)) { if (_folds.TryDequeue(out var fold)) fold.TrySetResult(); continue; }
                        if (write.Covered is { } covered) _covered = _covered.Max(covered);
                        Apply(write);
                        changed.Add(write.Model.Id);
                    }
                    catch (Exception e)
                    {
                        _logger.LogError(e, "Could not fold a committed batch of model {Model} into its buckets", write.Model.Id);
                    }
                }
            }
            try
            {
                if (flushRequested.Count > 0 || sinceFlush.Elapsed >= flushEvery)
                {
                    Flush();
                    sinceFlush.Restart();
                }
                if (pruneRequested.Count > 0 || sincePrune.Elapsed >= TimeSpan.FromSeconds(_retentionOptions.IntervalSeconds))
                {
                    var round = _retentionRounds.Run(_persisted, requested: pruneRequested.Count > 0);
                    sincePrune.Restart();
                    foreach (var prune in pruneRequested)
                        _ = round.ContinueWith(t => { if (t.IsFaulted) prune.TrySetException(t.Exception!.InnerExceptions); else prune.TrySetResult(t.Result); }, TaskScheduler.Default);
                }
            }
            catch (Exception e)
            {
                _logger.LogError(e, "Could not write the aggregates to the tiers or prune them; the next round tries again");
                foreach (var prune in pruneRequested) prune.TrySetException(e);
            }
            foreach (var flush in flushRequested) flush.TrySetResult();
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
        Buckets(write.Model).Apply(write);
    }

    /// <summary>Start-up: fold the rows above the watermark (what the last run had not flushed yet) into the open minutes.</summary>
    private void ReplayTail()
    {
        var started = Stopwatch.StartNew();
        var models = _registry.ListModels().ToDictionary(m => m.Pk);
        foreach (var (pk, at) in _replay.LastEventTimes())
            if (models.TryGetValue(pk, out var model)) Buckets(model).KnowLastEvent(DateTimeOffset.FromUnixTimeMilliseconds(at));
        var (from, to) = (_tailFrom, _covered);
        long rows = 0;
        foreach (var write in _replay.Predictions(models, from.Predictions, to.Predictions)
                     .Concat(_replay.Outcomes(models, from.Predictions, to.Predictions, from.Labels, to.Labels))
                     .Concat(_replay.Operational(models, from.Samples, to.Samples, from.Costs, to.Costs)))
        {
            Buckets(write.Model).Apply(write);
            rows += write.Predictions.Count + write.Outcomes.Count + write.Samples.Count + write.Costs.Count;
        }
        _logger.LogInformation("Replayed {Rows} rows stored after the last aggregate flush in {Ms} ms", rows, started.ElapsedMilliseconds);
    }

    /// <summary>Writes every model's open minutes to the tiers with the watermark they reach; one flush in flight at a time.</summary>
    private void Flush()
    {
        var seq = _flushSeq + 1;
        var taken = new List<(ModelBuckets Buckets, OpenMinutes Set)>();
        foreach (var buckets in _models.Values)
            if (buckets.TakeForFlush(seq) is { } set) taken.Add((buckets, set));
        if (taken.Count == 0 && _covered == _persisted) return;
        var committed = Submit(new AggregateFlush(taken.ConvertAll(t => t.Set), seq, _covered, null));
        foreach (var (buckets, _) in taken) buckets.Flushed(committed);
        if (!committed) return;
        _flushSeq = seq;
        _persisted = _covered;
    }

    /// <summary>Runs a command on the writer and waits for its commit; false when the writer is absent, full or refused it.</summary>
    private bool Submit(WriteCommand command)
    {
        if (Writer?.Invoke() is not { IsRunning: true } writer || !writer.TryEnqueue(command)) return false;
        try
        {
            command.Completion.Task.GetAwaiter().GetResult();
            return true;
        }
        catch (Exception e)
        {
            _logger.LogWarning(e, "A {Command} was not committed; it is retried with the next one", command.GetType().Name);
            return false;
        }
    }

    /// <summary>
    /// Once per database made before the tiers: aggregates its stored rows in chunks, each chunk's blobs and the cursor
    /// in one transaction, so a restart resumes where it stopped.
    /// </summary>
    private void Upgrade()
    {
        if (_store.ReadUpgrade() is not { } cursor) return;
        var models = _registry.ListModels().ToDictionary(m => m.Pk);
        var started = Stopwatch.StartNew();
        _logger.LogInformation("Aggregating the {Rows} rows stored before the aggregate tiers existed", cursor.Total - cursor.Done);
        while (!cursor.IsDone)
        {
            var sets = new Dictionary<long, OpenMinutes>();
            void Fold(CommittedWrite write)
            {
                if (!sets.TryGetValue(write.Model.Pk, out var set)) sets[write.Model.Pk] = set = new OpenMinutes(write.Model, Limits);
                set.Add(write);
            }
            UpgradeCursor next;
            if (cursor.DonePredictions < cursor.TargetPredictions)
            {
                var to = Math.Min(cursor.TargetPredictions, cursor.DonePredictions + UpgradeChunkRows);
                foreach (var write in _replay.Predictions(models, cursor.DonePredictions, to)) Fold(write);
                foreach (var write in _replay.Outcomes(models, cursor.DonePredictions, to, 0, 0)) Fold(write);
                next = cursor with { DonePredictions = to };
            }
            else
            {
                foreach (var write in _replay.Operational(models, cursor.DoneSamples, cursor.TargetSamples, cursor.DoneCosts, cursor.TargetCosts)) Fold(write);
                next = cursor with { DoneSamples = cursor.TargetSamples, DoneCosts = cursor.TargetCosts };
            }
            if (!Submit(new AggregateFlush([.. sets.Values], _flushSeq, null, next)))
            {
                if (_pending.Reader.Completion.IsCompleted) return;
                Thread.Sleep(200); // the writer is not there yet or its queue is full: try the chunk again
                continue;
            }
            foreach (var set in sets.Values) Buckets(set.Model).Invalidate(ModelBuckets.Touched(set));
            cursor = next;
            var progress = cursor.Total == 0 ? 1 : (double)cursor.Done / cursor.Total;
            _health.MarkUpgrading(progress);
            _logger.LogInformation("Aggregate upgrade: {Done} of {Total} stored rows ({Percent:0.0} %)", cursor.Done, cursor.Total, progress * 100);
            Changed?.Invoke(sets.Values.Select(s => s.Model.Id).ToList());
        }
        _health.MarkUpgrading(null);
        _logger.LogInformation("Aggregate upgrade done in {Seconds:0.0} s", started.Elapsed.TotalSeconds);
    }


    public void Dispose() => _pending.Writer.TryComplete();
}
