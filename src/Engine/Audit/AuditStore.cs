using System.Text;
using Dapper;
using Microsoft.Data.Sqlite;

namespace ModelWatch.Engine.Audit;

/// <summary>The audit log's SQL, in one place. Entries are only ever inserted; the head moves with each insert.</summary>
internal static class AuditStore
{
    private const string Columns = "seq, at, actor, action, subject_team, subject_model, subject_version, before, after, reason, prev_hash, hash";

    private const string SelectHead = "SELECT seq, hash FROM audit_head WHERE id = 1";
    private const string Insert = """
        INSERT INTO audit_log (seq, at, actor, action, subject_team, subject_model, subject_version, before, after, reason, prev_hash, hash)
        VALUES (@Sequence, @At, @Actor, @Action, @Team, @Model, @Version, @Before, @After, @Reason, @PrevHash, @Hash)
        """;
    private const string MoveHead = "UPDATE audit_head SET seq = @Sequence, hash = @Hash WHERE id = 1";
    private const string SelectChain = $"SELECT {Columns} FROM audit_log ORDER BY seq";
    private const string SelectFiltered = $"SELECT {Columns} FROM audit_log";
    private const string SelectBounds = "SELECT COUNT(*) AS Entries, MIN(seq) AS First, MAX(seq) AS Last FROM audit_log";

    public static (long Sequence, string Hash) Head(SqliteConnection connection, SqliteTransaction? transaction = null) =>
        connection.QuerySingle<(long, string)>(SelectHead, transaction: transaction);

    public static void Append(SqliteConnection connection, SqliteTransaction transaction, AuditEntry entry)
    {
        connection.Execute(Insert, new
        {
            entry.Sequence,
            At = entry.At.ToUnixTimeMilliseconds(),
            entry.Actor,
            entry.Action,
            Team = entry.SubjectTeam,
            Model = entry.SubjectModel,
            Version = entry.SubjectVersion,
            entry.Before,
            entry.After,
            entry.Reason,
            entry.PrevHash,
            entry.Hash,
        }, transaction);
        connection.Execute(MoveHead, new { entry.Sequence, entry.Hash }, transaction);
    }

    /// <summary>Every entry in sequence order, one row at a time.</summary>
    public static SqliteDataReader ReadChain(SqliteConnection connection, SqliteTransaction? transaction)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = SelectChain;
        return command.ExecuteReader();
    }

    /// <summary>Entries matching the filter: ascending from <paramref name="after"/> (exports) or descending below <paramref name="before"/> (pages).</summary>
    public static SqliteDataReader ReadFiltered(SqliteConnection connection, AuditFilter filter, long? after, long? before, long? upTo, bool descending, int? limit)
    {
        var command = connection.CreateCommand();
        var sql = new StringBuilder(SelectFiltered);
        var clauses = new List<string>();
        void Add(string clause, string name, object? value)
        {
            if (value is null) return;
            clauses.Add(clause);
            command.Parameters.AddWithValue(name, value);
        }
        Add("subject_team = @team", "@team", filter.Team);
        Add("subject_model = @model", "@model", filter.Model);
        Add("actor = @actor", "@actor", filter.Actor);
        Add("action = @action", "@action", filter.Action);
        Add("at >= @from", "@from", filter.From?.ToUnixTimeMilliseconds());
        Add("at < @to", "@to", filter.To?.ToUnixTimeMilliseconds());
        Add("seq > @after", "@after", after);
        Add("seq < @before", "@before", before);
        Add("seq <= @upTo", "@upTo", upTo);
        if (clauses.Count > 0) sql.Append(" WHERE ").AppendJoin(" AND ", clauses);
        sql.Append(descending ? " ORDER BY seq DESC" : " ORDER BY seq");
        if (limit is { } l)
        {
            sql.Append(" LIMIT @limit");
            command.Parameters.AddWithValue("@limit", l);
        }
        command.CommandText = sql.ToString();
        return command.ExecuteReader();
    }

    public static AuditEntry ReadEntry(SqliteDataReader r) => new(
        r.GetInt64(0),
        DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(1)),
        r.GetString(2),
        r.GetString(3),
        r.IsDBNull(4) ? null : r.GetString(4),
        r.IsDBNull(5) ? null : r.GetString(5),
        r.IsDBNull(6) ? null : r.GetString(6),
        r.IsDBNull(7) ? null : r.GetString(7),
        r.IsDBNull(8) ? null : r.GetString(8),
        r.IsDBNull(9) ? null : r.GetString(9),
        r.GetString(10),
        r.GetString(11));

    public static (long Entries, long? First, long? Last) Bounds(SqliteConnection connection) =>
        connection.QuerySingle<(long, long?, long?)>(SelectBounds);
}
