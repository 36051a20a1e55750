using System.Text.Json;
using Dapper;
using Microsoft.Data.Sqlite;

namespace ModelWatch.Engine.Alerting;

/// <summary>What a group's receivers were last told: the fingerprints notified firing and resolved (Alertmanager's notification log).</summary>
public sealed record GroupDigest(IReadOnlyList<string> Firing, IReadOnlyList<string> Resolved);

public sealed record AlertGroup(string GroupKey, string Scope, IReadOnlyDictionary<string, string> GroupLabels, DateTimeOffset CreatedAt, DateTimeOffset NextFlushAt,
    DateTimeOffset? LastSentAt, GroupDigest? LastSent);

/// <summary>Aggregation groups and their members; every call runs inside the dispatcher's transaction.</summary>
public static class AlertGroupStore
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private const string SelectGroups = "SELECT group_key AS GroupKey, scope AS Scope, group_labels AS GroupLabels, created_at AS CreatedAt, next_flush_at AS NextFlushAt, last_sent_at AS LastSentAt, last_digest AS LastDigest FROM alert_groups";
    private const string SelectMembers = "SELECT group_key AS GroupKey, alert_id AS AlertId FROM alert_group_members";
    private const string InsertGroup = """
        INSERT OR IGNORE INTO alert_groups (group_key, scope, group_labels, created_at, next_flush_at) VALUES (@Key, @Scope, @Labels, @At, @Next)
        """;
    private const string InsertMember = "INSERT OR IGNORE INTO alert_group_members (group_key, alert_id) VALUES (@Key, @AlertId)";
    private const string DeleteMember = "DELETE FROM alert_group_members WHERE group_key = @Key AND alert_id = @AlertId";
    private const string DeleteGroup = "DELETE FROM alert_groups WHERE group_key = @Key";
    private const string UpdateGroup = "UPDATE alert_groups SET next_flush_at = @Next, last_sent_at = @SentAt, last_digest = @Digest WHERE group_key = @Key";

    public static Dictionary<string, AlertGroup> Groups(SqliteConnection connection, SqliteTransaction transaction) =>
        connection.Query<Row>(SelectGroups, transaction: transaction).Select(r => new AlertGroup(r.GroupKey, r.Scope,
            JsonSerializer.Deserialize<Dictionary<string, string>>(r.GroupLabels, Json)!, At(r.CreatedAt), At(r.NextFlushAt), r.LastSentAt is { } s ? At(s) : null,
            r.LastDigest is null ? null : JsonSerializer.Deserialize<GroupDigest>(r.LastDigest, Json))).ToDictionary(g => g.GroupKey);

    public static ILookup<string, long> Members(SqliteConnection connection, SqliteTransaction transaction) =>
        connection.Query<(string GroupKey, long AlertId)>(SelectMembers, transaction: transaction).ToLookup(m => m.GroupKey, m => m.AlertId);

    public static void Add(SqliteConnection connection, SqliteTransaction transaction, string key, string scope, IReadOnlyDictionary<string, string> labels, long alertId,
        DateTimeOffset now, DateTimeOffset firstFlush)
    {
        connection.Execute(InsertGroup, new { Key = key, Scope = scope, Labels = JsonSerializer.Serialize(labels, Json), At = now.ToUnixTimeMilliseconds(), Next = firstFlush.ToUnixTimeMilliseconds() }, transaction);
        connection.Execute(InsertMember, new { Key = key, AlertId = alertId }, transaction);
    }

    public static void Remove(SqliteConnection connection, SqliteTransaction transaction, string key, long alertId) =>
        connection.Execute(DeleteMember, new { Key = key, AlertId = alertId }, transaction);

    public static void Delete(SqliteConnection connection, SqliteTransaction transaction, string key) => connection.Execute(DeleteGroup, new { Key = key }, transaction);

    public static void Flushed(SqliteConnection connection, SqliteTransaction transaction, string key, DateTimeOffset next, DateTimeOffset? sentAt, GroupDigest? digest) =>
        connection.Execute(UpdateGroup, new { Key = key, Next = next.ToUnixTimeMilliseconds(), SentAt = sentAt?.ToUnixTimeMilliseconds(), Digest = digest is null ? null : JsonSerializer.Serialize(digest, Json) }, transaction);

    private sealed class Row
    {
        public string GroupKey { get; init; } = "";
        public string Scope { get; init; } = "";
        public string GroupLabels { get; init; } = "{}";
        public long CreatedAt { get; init; }
        public long NextFlushAt { get; init; }
        public long? LastSentAt { get; init; }
        public string? LastDigest { get; init; }
    }

    private static DateTimeOffset At(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);
}
