using Dapper;
using Microsoft.Data.Sqlite;
using ModelWatch.Engine.Storage;

namespace ModelWatch.Engine.Windows;

/// <summary>
/// The SQL of the aggregate tiers: blobs per (model, tier, slot start, version), the watermark of flushed raw rows,
/// and the per-model stamp other processes watch. Writes take the writer's connection and transaction.
/// </summary>
public sealed class AggregateStore(SqliteConnectionFactory connections)
{
    public const string LocalNode = "local";
    public const long SystemVersion = 0;

    private const string SelectSlots = """
        SELECT start_minute AS Start, version_pk AS VersionPk, data AS Data FROM aggregate_blobs
        WHERE model_pk = @ModelPk AND tier = @Tier AND start_minute >= @From AND start_minute < @To
        """;
    private const string SelectBlob = "SELECT data FROM aggregate_blobs WHERE model_pk = @ModelPk AND tier = @Tier AND start_minute = @Start AND version_pk = @VersionPk";
    private const string UpsertBlob = """
        INSERT INTO aggregate_blobs (model_pk, tier, start_minute, version_pk, data) VALUES (@ModelPk, @Tier, @Start, @VersionPk, @Data)
        ON CONFLICT (model_pk, tier, start_minute, version_pk) DO UPDATE SET data = excluded.data
        """;
    private const string SelectWatermark = """
        SELECT predictions AS Predictions, labels AS Labels, samples AS Samples, costs AS Costs FROM aggregate_watermarks WHERE node = @Node
        """;
    private const string SelectUpgrading = "SELECT COALESCE((SELECT upgrading FROM aggregate_watermarks WHERE node = @Node), 0)";
    private const string UpsertWatermark = """
        INSERT INTO aggregate_watermarks (node, predictions, labels, samples, costs, upgrading) VALUES (@Node, @Predictions, @Labels, @Samples, @Costs, @Upgrading)
        ON CONFLICT (node) DO UPDATE SET predictions = excluded.predictions, labels = excluded.labels, samples = excluded.samples,
            costs = excluded.costs, upgrading = excluded.upgrading
        """;
    private const string BumpStamp = """
        INSERT INTO aggregate_stamps (model_pk, stamp) VALUES (@ModelPk, 1)
        ON CONFLICT (model_pk) DO UPDATE SET stamp = stamp + 1
        """;
    private const string SelectStamps = "SELECT model_pk AS ModelPk, stamp AS Stamp FROM aggregate_stamps";
    private const string DeleteExpired = """
        DELETE FROM aggregate_blobs WHERE (model_pk, tier, start_minute, version_pk) IN
            (SELECT model_pk, tier, start_minute, version_pk FROM aggregate_blobs WHERE tier = @Tier AND start_minute < @Before LIMIT @Limit)
        """;
    private const string SelectBytes = "SELECT COALESCE(SUM(LENGTH(data)), 0) FROM aggregate_blobs";

    public sealed record StoredBlob(long Start, long VersionPk, byte[] Data);

    /// <summary>Every blob of a model in one tier with a slot start in [from, to).</summary>
    public List<StoredBlob> Read(long modelPk, Tier tier, long fromMinute, long toMinute)
    {
        using var connection = connections.Open();
        return connection.Query<StoredBlob>(SelectSlots, new { ModelPk = modelPk, Tier = (int)tier, From = fromMinute, To = toMinute }).AsList();
    }

    public Watermark ReadWatermark(string node = LocalNode)
    {
        using var connection = connections.Open();
        return connection.QuerySingleOrDefault<Watermark>(SelectWatermark, new { Node = node }) ?? Watermark.Zero;
    }

    /// <summary>True while a database made before the tiers still has raw events to aggregate for the first time.</summary>
    public bool IsUpgrading(string node = LocalNode)
    {
        using var connection = connections.Open();
        return connection.ExecuteScalar<long>(SelectUpgrading, new { Node = node }) != 0;
    }

    public Dictionary<long, long> ReadStamps()
    {
        using var connection = connections.Open();
        return connection.Query<(long ModelPk, long Stamp)>(SelectStamps).ToDictionary(s => s.ModelPk, s => s.Stamp);
    }

    public long StoredBytes()
    {
        using var connection = connections.Open();
        return connection.ExecuteScalar<long>(SelectBytes);
    }

    // ---- writer side: inside the single writer's transaction ----

    public static byte[]? ReadBlob(SqliteConnection connection, SqliteTransaction transaction, long modelPk, Tier tier, long start, long versionPk) =>
        connection.ExecuteScalar<byte[]?>(SelectBlob, new { ModelPk = modelPk, Tier = (int)tier, Start = start, VersionPk = versionPk }, transaction);

    public static void WriteBlob(SqliteConnection connection, SqliteTransaction transaction, long modelPk, Tier tier, long start, long versionPk, byte[] data) =>
        connection.Execute(UpsertBlob, new { ModelPk = modelPk, Tier = (int)tier, Start = start, VersionPk = versionPk, Data = data }, transaction);

    public static void WriteWatermark(SqliteConnection connection, SqliteTransaction transaction, Watermark watermark, bool upgrading, string node = LocalNode) =>
        connection.Execute(UpsertWatermark, new { Node = node, watermark.Predictions, watermark.Labels, watermark.Samples, watermark.Costs, Upgrading = upgrading ? 1 : 0 }, transaction);

    public static void Stamp(SqliteConnection connection, SqliteTransaction transaction, long modelPk) =>
        connection.Execute(BumpStamp, new { ModelPk = modelPk }, transaction);

    /// <summary>Deletes up to <paramref name="limit"/> blobs of a tier older than a slot start; returns how many.</summary>
    public static int DeleteOlderThan(SqliteConnection connection, SqliteTransaction transaction, Tier tier, long beforeMinute, int limit) =>
        connection.Execute(DeleteExpired, new { Tier = (int)tier, Before = beforeMinute, Limit = limit }, transaction);
}
