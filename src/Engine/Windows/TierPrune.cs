using ModelWatch.Engine.Ingestion;
using ModelWatch.Engine.Registry;

namespace ModelWatch.Engine.Windows;

/// <summary>Deletes one small batch of a tier's slots older than its retention, through the single writer.</summary>
internal sealed class TierPrune(Tier tier, long beforeMinute, int limit) : WriteCommand(PruneModel, rows: 1)
{
    private static readonly ModelDefinition PruneModel = new(-3, "(retention)", "", ModelTask.Regression, null, [], 0.5, null, null, default, new Dictionary<string, long>());

    /// <summary>Blobs deleted by this batch; fewer than the limit means the tier is pruned.</summary>
    public int Deleted { get; private set; }

    public override WriteReceipt Apply(EventTables tables, out CommittedWrite? committed)
    {
        committed = null;
        Deleted = AggregateStore.DeleteOlderThan(tables.Connection, tables.Transaction!, tier, beforeMinute, limit);
        return new WriteReceipt(Deleted);
    }
}
