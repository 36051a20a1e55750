using ModelWatch.Engine.Registry;

namespace ModelWatch.Engine.Ingestion;

/// <summary>A unit of work for the single writer; completed only after its transaction has committed.</summary>
internal abstract class WriteCommand(ModelDefinition model, int rows)
{
    public ModelDefinition Model { get; } = model;
    public int Rows { get; } = rows;
    public TaskCompletionSource<WriteReceipt> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Runs inside the open transaction; describes what was stored for the observers.</summary>
    public abstract WriteReceipt Apply(EventTables tables, out CommittedWrite? committed);
}

internal sealed class PredictionWrite(ModelDefinition model, IReadOnlyList<PredictionRecord> records) : WriteCommand(model, records.Count)
{
    public override WriteReceipt Apply(EventTables tables, out CommittedWrite? committed)
    {
        var stored = new List<PredictionRecord>(records.Count);
        var outcomes = new List<LabeledOutcome>();
        var receipt = tables.InsertPredictions(Model, records, stored, outcomes);
        committed = stored.Count == 0 ? null : new CommittedWrite(Model, stored, [], [], [], outcomes);
        return receipt;
    }
}

internal sealed class LabelWrite(ModelDefinition model, IReadOnlyList<LabelRecord> labels) : WriteCommand(model, labels.Count)
{
    public override WriteReceipt Apply(EventTables tables, out CommittedWrite? committed)
    {
        var outcomes = new List<LabeledOutcome>();
        var receipt = tables.UpsertLabels(Model, labels, outcomes);
        committed = new CommittedWrite(Model, [], labels, [], [], outcomes);
        return receipt;
    }
}

internal sealed class MetricsWrite(ModelDefinition model, MetricsBatch batch) : WriteCommand(model, batch.Samples.Count + batch.Costs.Count)
{
    public override WriteReceipt Apply(EventTables tables, out CommittedWrite? committed)
    {
        var receipt = tables.InsertMetrics(Model, batch);
        committed = new CommittedWrite(Model, [], [], batch.Samples, batch.Costs, []);
        return receipt;
    }
}

internal sealed class ReferenceWrite(ModelDefinition model, long versionPk, IReadOnlyList<ReferenceRecord> rows) : WriteCommand(model, rows.Count)
{
    public override WriteReceipt Apply(EventTables tables, out CommittedWrite? committed)
    {
        var receipt = tables.ReplaceReference(versionPk, rows);
        committed = new CommittedWrite(Model, [], [], [], [], [], ReferenceReplaced: true, PredictionWatermark: tables.MaxPredictionRowId());
        return receipt;
    }
}
