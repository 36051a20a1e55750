using Dapper;
using Microsoft.Data.Sqlite;

namespace ModelWatch.Engine.Retention;

/// <summary>The event tables raw retention prunes (labels go with their predictions, or alone as "too late").</summary>
public enum RawTable { Predictions, Samples, Costs }

/// <summary>
/// The SQL of raw-event retention. Every delete runs in the single writer's transaction, takes at most a batch of rows,
/// and never touches a row above the aggregate watermark (a restart still replays those) or the newest row of its table
/// (SQLite hands out rowid MAX+1, so deleting the newest row would let new rows reuse ids at or below the watermark).
/// </summary>
internal static class RawRetentionStore
{
    private const string SelectModels = "SELECT pk FROM models ORDER BY pk";
    private const string MaxPredictionRowId = "SELECT COALESCE(MAX(rowid), 0) FROM predictions";
    private const string MaxSampleRowId = "SELECT COALESCE(MAX(rowid), 0) FROM operational_samples";
    private const string MaxCostRowId = "SELECT COALESCE(MAX(rowid), 0) FROM cost_records";
    private const string MaxLabelSeq = "SELECT COALESCE(MAX(seq), 0) FROM labels";

    // Oldest first through (model_pk, ts); a prediction whose label is not in the blobs yet waits for the next flush.
    private const string ExpiredPredictions = """
        SELECT p.rowid FROM predictions p
        WHERE p.model_pk = @ModelPk AND p.ts < @Before AND p.rowid <= @MaxRowId
          AND NOT EXISTS (SELECT 1 FROM labels l WHERE l.model_pk = p.model_pk AND l.prediction_id = p.event_id AND l.seq > @MaxLabelSeq)
        ORDER BY p.ts LIMIT @Limit
        """;
    private const string DeleteExpiredPredictions = $"DELETE FROM predictions WHERE rowid IN ({ExpiredPredictions}) RETURNING event_id";
    private const string ModelHasLabels = "SELECT EXISTS (SELECT 1 FROM labels WHERE model_pk = @ModelPk)";
    private const string DeleteLabelOf = "DELETE FROM labels WHERE model_pk = @ModelPk AND prediction_id = @Id";
    private const string DeleteExpiredSamples = """
        DELETE FROM operational_samples WHERE rowid IN (SELECT rowid FROM operational_samples
            WHERE model_pk = @ModelPk AND ts < @Before AND rowid <= @MaxRowId ORDER BY ts LIMIT @Limit)
        """;
    private const string DeleteExpiredCosts = """
        DELETE FROM cost_records WHERE rowid IN (SELECT rowid FROM cost_records
            WHERE model_pk = @ModelPk AND ts < @Before AND rowid <= @MaxRowId ORDER BY ts LIMIT @Limit)
        """;
    private const string DeleteWaitingLabel = """
        DELETE FROM labels WHERE model_pk = @ModelPk AND prediction_id = @PredictionId AND (seq IS NULL OR seq < @MaxSeq)
        """;
    private const string AddTooLate = "UPDATE model_stats SET labels_too_late = labels_too_late + @Count WHERE model_pk = @ModelPk";
    private const string SelectFreePages = "PRAGMA freelist_count";
    private const string SelectAutoVacuum = "PRAGMA auto_vacuum";

    public static IReadOnlyList<long> Models(SqliteConnection connection) => connection.Query<long>(SelectModels).AsList();

    /// <summary>Deletes up to <paramref name="limit"/> of a model's rows older than <paramref name="before"/> (ms) and covered by the watermark; returns how many.</summary>
    public static int DeleteExpired(SqliteConnection connection, SqliteTransaction transaction, RawTable table, long modelPk, long before, long watermark, long labelWatermark, int limit)
    {
        var newest = connection.ExecuteScalar<long>(table switch { RawTable.Predictions => MaxPredictionRowId, RawTable.Samples => MaxSampleRowId, _ => MaxCostRowId }, transaction: transaction);
        var maxRowId = Math.Min(watermark, newest - 1);
        if (maxRowId <= 0) return 0;
        if (table != RawTable.Predictions)
            return connection.Execute(table == RawTable.Samples ? DeleteExpiredSamples : DeleteExpiredCosts, new { ModelPk = modelPk, Before = before, MaxRowId = maxRowId, Limit = limit }, transaction);
        // Labels at or above the newest seq stay too (the writer numbers new labels from MAX(seq) after a restart).
        var maxLabelSeq = Math.Min(labelWatermark, connection.ExecuteScalar<long>(MaxLabelSeq, transaction: transaction) - 1);
        var parameters = new { ModelPk = modelPk, Before = before, MaxRowId = maxRowId, MaxLabelSeq = maxLabelSeq, Limit = limit };
        var deleted = connection.Query<string>(DeleteExpiredPredictions, parameters, transaction).AsList();
        // Their labels go with them (they are in the tiers); one key lookup each, skipped for a model that has no labels.
        if (deleted.Count > 0 && connection.ExecuteScalar<bool>(ModelHasLabels, new { ModelPk = modelPk }, transaction))
            connection.Execute(DeleteLabelOf, deleted.Select(id => new { ModelPk = modelPk, Id = id }), transaction);
        return deleted.Count;
    }

    /// <summary>Deletes a label that waited too long for its prediction; false when it is the newest label (kept, see above).</summary>
    public static bool DeleteWaiting(SqliteConnection connection, SqliteTransaction transaction, long modelPk, string predictionId)
    {
        var maxSeq = connection.ExecuteScalar<long>(MaxLabelSeq, transaction: transaction);
        return connection.Execute(DeleteWaitingLabel, new { ModelPk = modelPk, PredictionId = predictionId, MaxSeq = maxSeq }, transaction) > 0;
    }

    public static void CountTooLate(SqliteConnection connection, SqliteTransaction transaction, long modelPk, int count) =>
        connection.Execute(AddTooLate, new { ModelPk = modelPk, Count = count }, transaction);

    public static long FreePages(SqliteConnection connection, SqliteTransaction? transaction = null) =>
        connection.ExecuteScalar<long>(SelectFreePages, transaction: transaction);

    /// <summary>0 none, 1 full, 2 incremental: only 2 lets the pruner give pages back without a VACUUM.</summary>
    public static long AutoVacuum(SqliteConnection connection) => connection.ExecuteScalar<long>(SelectAutoVacuum);

    public static void IncrementalVacuum(SqliteConnection connection, SqliteTransaction transaction, int pages)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"PRAGMA incremental_vacuum({pages})"; // a pragma takes no bound parameters; pages is an int
        using var reader = command.ExecuteReader();
        while (reader.Read()) { /* one row per freed page: stepping them is what frees them */ }
    }
}
