using ModelWatch.Engine.Registry;

namespace ModelWatch.Engine.Ingestion;

/// <summary>
/// What one committed transaction added for one model; only rows that were really stored (no duplicates).
/// A replaced reference carries the highest prediction rowid at that commit, so a rebuild reads exactly what came before.
/// <see cref="Covered"/> is the newest stored row of each kind right after the commit: once folded, what the aggregates cover.
/// </summary>
public sealed record CommittedWrite(
    ModelDefinition Model,
    IReadOnlyList<PredictionRecord> Predictions,
    IReadOnlyList<LabelRecord> Labels,
    IReadOnlyList<OperationalSampleRecord> Samples,
    IReadOnlyList<CostRecord> Costs,
    IReadOnlyList<LabeledOutcome> Outcomes,
    bool ReferenceReplaced = false,
    long PredictionWatermark = 0,
    Windows.Watermark? Covered = null);

/// <summary>Told on the writer thread right after a commit (minute buckets, live feed). Must return quickly and never throw.</summary>
public interface IIngestionObserver
{
    void OnCommitted(IReadOnlyList<CommittedWrite> writes);
}
