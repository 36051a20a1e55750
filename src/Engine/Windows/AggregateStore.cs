using Dapper;
using Microsoft.Data.Sqlite;
using ModelWatch.Engine.Storage;

namespace ModelWatch.Engine.Windows;

/// <summary>
/// The SQL of the aggregate tiers: blobs per (model, tier, slot start, version), the watermark of flushed raw rows
/// with the node's flush sequence, the one-off upgrade cursor, and the per-model stamp other processes watch.
/// Writes take the writer's connection and transaction. (A PostgreSQL provider would sit beside this file.)
/// </summary>
public sealed class AggregateStore(SqliteConnectionFactory connections)
{
    public const string LocalNode = "local";
    public const long SystemVersion = 0;

    private const string SelectSlots = """
        SELECT start_minute AS Start, version_pk AS VersionPk, data AS Data FROM aggregate_blobs
        WHERE model_pk = @ModelPk AND tier = @Tier AND start_minute >= @From AND start_minute < @To
        """;
    private const string SelectFlushSeq = "SELECT COALESCE((SELECT flush_seq FROM aggregate_watermarks WHERE node = @Node), 0)";
    private const string SelectBlob = "SELECT data FROM aggregate_blobs WHERE model_pk = @ModelPk AND tier = @Tier AND start_minute = @Start AND version_pk = @VersionPk";
    private const string UpsertBlob = """
        INSERT INTO aggregate_blobs (model_pk, tier, start_minute, version_pk, data) VALUES (@ModelPk, @Tier, @Start, @VersionPk, @Data)
        ON CONFLICT (model_pk, tier, start_minute, version_pk) DO UPDATE SET data = excluded.data
        """;
    private const string SelectWatermark = """
        SELECT predictions AS Predictions, labels AS Labels, samples AS Samples, costs AS Costs FROM aggregate_watermarks WHERE node = @Node
        """;
    private const string UpsertWatermark = """
        INSERT INTO aggregate_watermarks (node, predictions, labels, samples, costs, flush_seq) VALUES (@Node, @Predictions, @Labels, @Samples, @Costs, @Seq)
        ON CONFLICT (node) DO UPDATE SET predictions = excluded.predictions, labels = excluded.labels, samples = excluded.samples,
            costs = excluded.costs, flush_seq = excluded.flush_seq
        """;
    private const string SelectUpgrade = """
        SELECT target_predictions AS TargetPredictions, target_samples AS TargetSamples, target_costs AS TargetCosts,
               done_predictions AS DonePredictions, done_samples AS DoneSamples, done_costs AS DoneCosts
        FROM aggregate_upgrade WHERE node = @Node
        """;
    private const string UpdateUpgrade = """
        UPDATE aggregate_upgrade SET done_predictions = @DonePredictions, done_samples = @DoneSamples, done_costs = @DoneCosts WHERE node = @Node
        """;
    private const string DeleteUpgrade = "DELETE FROM aggregate_upgrade WHERE node = @Node";
    private const string BumpStamp = """
        INSERT INTO aggregate_stamps (model_pk, stamp) VALUES (@ModelPk, 1)
        ON CONFLICT (model_pk) DO UPDATE SET stamp = stamp + 1
        """;
    private const string DeleteExpired = """
        DELETE FROM aggregate_blobs WHERE (model_pk, tier, start_minute, version_pk) IN
            (SELECT model_pk, tier, start_minute, version_pk FROM aggregate_blobs WHERE tier = @Tier AND start_minute < @Before LIMIT @Limit)
        """;
    private const string SelectBytes = "SELECT COALESCE(SUM(LENGTH(data)), 0) FROM aggregate_blobs";

    public sealed record StoredBlob(long Start, long VersionPk, byte[] Data);

    /// <summary>Blobs of a model in several tier ranges, and the flush sequence they reflect, from one snapshot.</summary>
    public (long FlushSeq, List<(Tier Tier, StoredBlob Blob)> Blobs) ReadRanges(long modelPk, IEnumerable<(Tier Tier, long From, long To)> ranges)
    {
        using var connection = connections.Open();
        using var transaction = connection.BeginTransaction(deferred: true); // one snapshot: blobs and seq agree
        var seq = connection.ExecuteScalar<long>(SelectFlushSeq, new { Node = LocalNode }, transaction);
        var blobs = new List<(Tier, StoredBlob)>();
        foreach (var (tier, from, to) in ranges)
            foreach (var blob in connection.Query<StoredBlob>(SelectSlots, new { ModelPk = modelPk, Tier = (int)tier, From = from, To = to }, transaction))
                blobs.Add((tier, blob));
        transaction.Commit();
        return (seq, blobs);
    }

    public (Watermark Watermark, long FlushSeq) ReadWatermark(string node = LocalNode)
    {
        using var connection = connections.Open();
        var watermark = connection.QuerySingleOrDefault<Watermark>(SelectWatermark, new { Node = node }) ?? Watermark.Zero;
        return (watermark, connection.ExecuteScalar<long>(SelectFlushSeq, new { Node = node }));
    }

    /// <summary>The one-off aggregation of rows stored before the tiers; null when there is none (left).</summary>
    public UpgradeCursor? ReadUpgrade(string node = LocalNode)
    {
        using var connection = connections.Open();
        return connection.QuerySingleOrDefault<UpgradeCursor>(SelectUpgrade, new { Node = node });
    }

    public long StoredBytes()
    {
        using var connection = connections.Open();
        return connection.ExecuteScalar<long>(SelectBytes);
    }

    // ---- writer side: inside the single writer's transaction ----

    /// <summary>
    /// The blob read and upsert, prepared once per flush and bound by position: a flush touches three blobs per model,
    /// slot and version, and re-preparing them through Dapper on each call took about a third of the writer's time.
    /// </summary>
    public sealed class BlobCommands : IDisposable
    {
        private readonly SqliteCommand _read;
        private readonly SqliteCommand _write;

        public BlobCommands(SqliteConnection connection, SqliteTransaction transaction)
        {
            _read = SqlitePrepared.Command(connection, transaction, SelectBlob, "@ModelPk", "@Tier", "@Start", "@VersionPk");
            _write = SqlitePrepared.Command(connection, transaction, UpsertBlob, "@ModelPk", "@Tier", "@Start", "@VersionPk", "@Data");
        }

        public byte[]? Read(long modelPk, Tier tier, long start, long versionPk)
        {
            Bind(_read, modelPk, tier, start, versionPk);
            return _read.ExecuteScalar() as byte[];
        }

        public void Write(long modelPk, Tier tier, long start, long versionPk, byte[] data)
        {
            Bind(_write, modelPk, tier, start, versionPk);
            _write.Parameters[4].Value = data;
            _write.ExecuteNonQuery();
        }

        public void Dispose()
        {
            _read.Dispose();
            _write.Dispose();
        }

        private static void Bind(SqliteCommand command, long modelPk, Tier tier, long start, long versionPk)
        {
            command.Parameters[0].Value = modelPk;
            command.Parameters[1].Value = (int)tier;
            command.Parameters[2].Value = start;
            command.Parameters[3].Value = versionPk;
        }
    }

    public static void WriteWatermark(SqliteConnection connection, SqliteTransaction transaction, Watermark watermark, long flushSeq, string node = LocalNode) =>
        connection.Execute(UpsertWatermark, new { Node = node, watermark.Predictions, watermark.Labels, watermark.Samples, watermark.Costs, Seq = flushSeq }, transaction);

    /// <summary>Records upgrade progress; deletes the cursor once every target is reached.</summary>
    public static void WriteUpgrade(SqliteConnection connection, SqliteTransaction transaction, UpgradeCursor cursor, string node = LocalNode)
    {
        if (cursor.IsDone) connection.Execute(DeleteUpgrade, new { Node = node }, transaction);
        else connection.Execute(UpdateUpgrade, new { Node = node, cursor.DonePredictions, cursor.DoneSamples, cursor.DoneCosts }, transaction);
    }

    public static void Stamp(SqliteConnection connection, SqliteTransaction transaction, long modelPk) =>
        connection.Execute(BumpStamp, new { ModelPk = modelPk }, transaction);

    /// <summary>Deletes up to <paramref name="limit"/> blobs of a tier older than a slot start; returns how many.</summary>
    public static int DeleteOlderThan(SqliteConnection connection, SqliteTransaction transaction, Tier tier, long beforeMinute, int limit) =>
        connection.Execute(DeleteExpired, new { Tier = (int)tier, Before = beforeMinute, Limit = limit }, transaction);
}

/// <summary>How far the one-off aggregation of pre-tier rows got (rowids per table) and where it stops.</summary>
public sealed record UpgradeCursor(long TargetPredictions, long TargetSamples, long TargetCosts, long DonePredictions, long DoneSamples, long DoneCosts)
{
    public bool IsDone => DonePredictions >= TargetPredictions && DoneSamples >= TargetSamples && DoneCosts >= TargetCosts;

    public long Total => TargetPredictions + TargetSamples + TargetCosts;

    public long Done => Math.Min(DonePredictions, TargetPredictions) + Math.Min(DoneSamples, TargetSamples) + Math.Min(DoneCosts, TargetCosts);
}
