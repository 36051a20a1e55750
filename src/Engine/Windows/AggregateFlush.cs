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
        var connection = tables.Connection;
        var transaction = tables.Transaction ?? throw new InvalidOperationException("An aggregate flush runs inside the writer's transaction.");
        foreach (var set in sets)
        {
            var model = set.Model;
            foreach (var tier in Tiers.All)
            {
                // Group the set's minutes by slot first: one read-merge-write per slot and version, not per minute.
                var slots = new Dictionary<(long Start, long Version), MinuteBucket>();
                foreach (var (minute, versions) in set.Predictions)
                    foreach (var (version, bucket) in versions)
                    {
                        var key = (tier.SlotStart(minute), version);
                        if (!slots.TryGetValue(key, out var merged)) slots[key] = merged = new MinuteBucket(model, bucket.Limits);
                        merged.Merge(bucket);
                    }
                foreach (var ((start, version), delta) in slots)
                {
                    var stored = AggregateStore.ReadBlob(connection, transaction, model.Pk, tier, start, version);
                    var result = delta;
                    if (stored is not null)
                    {
                        result = MinuteBucketCodec.DecodeMinute(model, stored, delta.Limits);
                        result.Merge(delta);
                    }
                    AggregateStore.WriteBlob(connection, transaction, model.Pk, tier, start, version, MinuteBucketCodec.Encode(result));
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
                    var stored = AggregateStore.ReadBlob(connection, transaction, model.Pk, tier, start, AggregateStore.SystemVersion);
                    var result = delta;
                    if (stored is not null)
                    {
                        result = MinuteBucketCodec.DecodeSystem(stored);
                        result.Merge(delta);
                    }
                    AggregateStore.WriteBlob(connection, transaction, model.Pk, tier, start, AggregateStore.SystemVersion, MinuteBucketCodec.Encode(result));
                }
            }
            AggregateStore.Stamp(connection, transaction, model.Pk);
        }
        if (covered is not null) AggregateStore.WriteWatermark(connection, transaction, covered, seq);
        if (upgrade is not null) AggregateStore.WriteUpgrade(connection, transaction, upgrade);
        return new WriteReceipt(Rows);
    }
}
