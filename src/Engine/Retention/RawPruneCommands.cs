using ModelWatch.Engine.Ingestion;
using ModelWatch.Engine.Registry;

namespace ModelWatch.Engine.Retention;

/// <summary>The model the writer logs for retention commands (they belong to no model).</summary>
internal static class RetentionModel
{
    public static readonly ModelDefinition Instance = new(-5, "(raw retention)", "", ModelTask.Regression, null, [], 0.5, null, null, default, new Dictionary<string, long>());
}

/// <summary>Deletes one small batch of a model's expired rows of one table (and the labels of deleted predictions) through the single writer.</summary>
internal sealed class RawEventPrune(RawTable table, long modelPk, long beforeMs, Windows.Watermark persisted, int limit)
    : WriteCommand(RetentionModel.Instance, rows: 1)
{
    /// <summary>Rows deleted by this batch; fewer than the limit means the table is pruned for this model.</summary>
    public int Deleted { get; private set; }

    public override WriteReceipt Apply(EventTables tables, out CommittedWrite? committed)
    {
        committed = null;
        var watermark = table switch { RawTable.Predictions => persisted.Predictions, RawTable.Samples => persisted.Samples, _ => persisted.Costs };
        Deleted = RawRetentionStore.DeleteExpired(tables.Connection, tables.Transaction!, table, modelPk, beforeMs, watermark, persisted.Labels, limit);
        return new WriteReceipt(Deleted);
    }
}

/// <summary>
/// Deletes labels that waited past <c>UnmatchedLabelDays</c> for their prediction (often one raw retention already
/// deleted) and counts each in its model's <c>labels_too_late</c>, in the same transaction: never silently dropped.
/// </summary>
internal sealed class TooLateLabelPrune(long beforeMs, int limit) : WriteCommand(RetentionModel.Instance, rows: 1)
{
    /// <summary>Labels looked at; fewer than the limit means no label waits past its time any more.</summary>
    public int Examined { get; private set; }

    public int Deleted { get; private set; }

    public override WriteReceipt Apply(EventTables tables, out CommittedWrite? committed)
    {
        committed = null;
        var counts = new Dictionary<long, int>();
        var expired = tables.WaitingSince(beforeMs, limit);
        Examined = expired.Count;
        foreach (var (modelPk, predictionId) in expired)
        {
            if (!RawRetentionStore.DeleteWaiting(tables.Connection, tables.Transaction!, modelPk, predictionId)) continue;
            tables.StopWaiting(modelPk, predictionId);
            counts[modelPk] = counts.GetValueOrDefault(modelPk) + 1;
        }
        foreach (var (modelPk, count) in counts) RawRetentionStore.CountTooLate(tables.Connection, tables.Transaction!, modelPk, count);
        Deleted = counts.Values.Sum();
        return new WriteReceipt(Deleted);
    }
}

/// <summary>Gives up to <paramref name="pages"/> free pages back to the file system (auto_vacuum=INCREMENTAL databases only).</summary>
internal sealed class IncrementalVacuum(int pages) : WriteCommand(RetentionModel.Instance, rows: 1)
{
    /// <summary>Free pages left after this step.</summary>
    public long FreeAfter { get; private set; }

    public override WriteReceipt Apply(EventTables tables, out CommittedWrite? committed)
    {
        committed = null;
        RawRetentionStore.IncrementalVacuum(tables.Connection, tables.Transaction!, pages);
        FreeAfter = RawRetentionStore.FreePages(tables.Connection, tables.Transaction);
        return new WriteReceipt(0);
    }
}
