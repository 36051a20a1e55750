using ModelWatch.Engine.Ingestion;
using ModelWatch.Engine.Registry;

namespace ModelWatch.Engine.Windows;

/// <summary>
/// Writes in-memory minutes into the stored tiers through the single writer: each minute is merged into its minute,
/// hour and day blob (so every tier is complete on its own), and the watermark and flush sequence (or the upgrade
/// cursor) go in the same transaction. A crash loses nothing: the rows the blobs lack are above the watermark.
/// </summary>
internal sealed class AggregateFlush(IReadOnlyList<OpenMinutes> sets, long seq, Watermark? covered, UpgradeCursor? upgrade)
    : WriteCommand(FlushModel, sets.Sum(s => s.Predictions.Count + s.System.Count))
{
    private static readonly ModelDefinition FlushModel = new(-2, "(aggregates)", "", ModelTask.Regression, null, [], 0.5, null, null, default, new Dictionary<string, long>());

    public override WriteReceipt Apply(EventTables tables, out CommittedWrite? committed)
    {
        committed = null;
        var transaction = tables.Transaction ?? throw new InvalidOperationException("An aggregate flush runs inside the writer's transaction.");
        using var blobs = new AggregateStore.BlobCommands(tables.Connection, transaction);
        foreach (var set in sets)
        {
            var model = set.Model;
            // Deltas per (slot, version), tier by tier: the minutes as they are, hours from minutes, days from hours.
            var deltas = new Dictionary<(long Start, long Version), MinuteBucket>();
            foreach (var (minute, versions) in set.Predictions)
                foreach (var (version, bucket) in versions)
                    deltas[(minute, version)] = ReferenceEquals(bucket.Model, model) ? bucket : Copy(bucket, model);
            foreach (var tier in Tiers.All)
            {
                if (tier != Tier.Minute) deltas = RollUp(deltas, tier, model);
                foreach (var ((start, version), delta) in deltas)
                {
                    var result = delta;
                    if (blobs.Read(model.Pk, tier, start, version) is { } stored)
                    {
                        result = MinuteBucketCodec.DecodeMinute(model, stored, delta.Limits);
                        result.Merge(delta); // the delta itself is never written to: readers still merge from the open minutes
                    }
                    blobs.Write(model.Pk, tier, start, version, MinuteBucketCodec.Encode(result));
                }

                var systems = new Dictionary<long, SystemBucket>();
                foreach (var (minute, system) in set.System)
                {
                    var start = tier.SlotStart(minute);
                    if (!systems.TryGetValue(start, out var merged)) systems[start] = merged = new SystemBucket();
                    merged.Merge(system);
                }
                foreach (var (start, delta) in systems)
                {
                    var result = delta;
                    if (blobs.Read(model.Pk, tier, start, AggregateStore.SystemVersion) is { } stored)
                    {
                        result = MinuteBucketCodec.DecodeSystem(stored);
                        result.Merge(delta);
                    }
                    blobs.Write(model.Pk, tier, start, AggregateStore.SystemVersion, MinuteBucketCodec.Encode(result));
                }
            }
            AggregateStore.Stamp(tables.Connection, transaction, model.Pk);
        }
        if (covered is not null) AggregateStore.WriteWatermark(tables.Connection, transaction, covered, seq);
        if (upgrade is not null) AggregateStore.WriteUpgrade(tables.Connection, transaction, upgrade);
        return new WriteReceipt(Rows);
    }

    /// <summary>The deltas of the next coarser tier: each finer delta merged into its slot of <paramref name="tier"/>.</summary>
    private static Dictionary<(long Start, long Version), MinuteBucket> RollUp(Dictionary<(long Start, long Version), MinuteBucket> finer, Tier tier, ModelDefinition model)
    {
        var coarser = new Dictionary<(long Start, long Version), MinuteBucket>();
        foreach (var ((start, version), bucket) in finer)
        {
            var key = (tier.SlotStart(start), version);
            if (!coarser.TryGetValue(key, out var merged)) coarser[key] = merged = new MinuteBucket(model, bucket.Limits);
            merged.Merge(bucket);
        }
        return coarser;
    }

    private static MinuteBucket Copy(MinuteBucket bucket, ModelDefinition model)
    {
        var copy = new MinuteBucket(model, bucket.Limits);
        copy.Merge(bucket);
        return copy;
    }
}
