using Microsoft.Extensions.Logging;
using ModelWatch.Engine.Ingestion;
using ModelWatch.Engine.Windows;

namespace ModelWatch.Engine.Retention;

/// <summary>
/// One pruning round, started by the aggregator every <c>Portal:Retention:IntervalSeconds</c>: tier slots past their
/// retention are deleted on the caller's thread (a handful of batches), raw events on a thread of their own (a round may
/// take minutes of paced batches, and the aggregator must keep folding and flushing meanwhile).
/// </summary>
internal sealed class RetentionRounds(AggregateStore store, TierRetention tiers, RetentionOptions options, RawPruner raw,
    Func<WriteCommand, bool> submit, TimeProvider clock, ILogger logger)
{
    private Task<RawPruneReport> _rawRound = Task.FromResult(RawPruneReport.None);

    /// <summary>Runs a round; a requested one (tests) always queues a raw round, a timed one skips it while the last still runs.</summary>
    public Task<RawPruneReport> Run(Watermark persisted, bool requested)
    {
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds() / 60_000;
        foreach (var tier in Tiers.All)
        {
            var before = tiers.RetainedFrom(tier, now);
            while (true)
            {
                var prune = new TierPrune(tier, before, options.BatchRows);
                if (!submit(prune) || prune.Deleted < options.BatchRows) break;
            }
        }
        // Rows an unfinished upgrade has not aggregated yet are the only copy of their history: keep them until it is done.
        if (store.ReadUpgrade() is not null) return Task.FromResult(RawPruneReport.None);
        if (!_rawRound.IsCompleted && !requested) return _rawRound;
        // The watermark now: flushes during the round only make it more careful than it needs to be.
        _rawRound = _rawRound.ContinueWith(_ => RawRound(persisted), CancellationToken.None, TaskContinuationOptions.LongRunning, TaskScheduler.Default);
        return _rawRound;
    }

    private RawPruneReport RawRound(Watermark persisted)
    {
        try { return raw.Prune(persisted, submit); }
        catch (Exception e)
        {
            logger.LogError(e, "Raw-event retention failed; the next round tries again");
            return RawPruneReport.None;
        }
    }
}
