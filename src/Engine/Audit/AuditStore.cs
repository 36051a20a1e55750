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
    // The text fields' netstrings are concatenated by SQLite (f(null) = '~', f(x) = byte length ':' x ','), so the chain walk
    // reads five columns per entry instead of twelve. Must match CanonicalBuffer.Add; the tests hash both ways.
    private const string SelectChain = """
        SELECT seq, at, prev_hash, hash,
               COALESCE(length(CAST(actor AS BLOB)) || ':' || actor || ',', '~') ||
               COALESCE(length(CAST(action AS BLOB)) || ':' || action || ',', '~') ||
               COALESCE(length(CAST(subject_team AS BLOB)) || ':' || subject_team || ',', '~') ||
               COALESCE(length(CAST(subject_model AS BLOB)) || ':' || subject_model || ',', '~') ||
               COALESCE(length(CAST(subject_version AS BLOB)) || ':' || subject_version || ',', '~') ||
               COALESCE(length(CAST(before AS BLOB)) || ':' || before || ',', '~') ||
               COALESCE(length(CAST(after AS BLOB)) || ':' || after || ',', '~') ||
               COALESCE(length(CAST(reason AS BLOB)) || ':' || reason || ',', '~')
        FROM audit_log ORDER BY seq
        """;
    private const string SelectFiltered = $"SELECT {Columns} FROM audit_log";
    private const string SelectOwnerTeam = "SELECT team_id FROM models WHERE id = @Model";

    public static (long Sequence, string Hash) Head(SqliteConnection connection, SqliteTransaction? transaction = null) =>
        connection.QuerySingle<(long, string)>(SelectHead, transaction: transaction);

    public static string? OwnerTeam(SqliteConnection connection, SqliteTransaction transaction, string model) =>
        connection.QuerySingleOrDefault<string?>(SelectOwnerTeam, new { Model = model }, transaction);

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
    public static AuditCursor ReadChain(SqliteConnection connection) => new(connection, SelectChain, []);

    /// <summary>Entries matching the filter: ascending up to <paramref name="upTo"/> (exports) or descending below <paramref name="before"/> (pages).</summary>
    public static AuditCursor ReadFiltered(SqliteConnection connection, AuditFilter filter, long? before, long? upTo, bool descending, int? limit)
    {
        var sql = new StringBuilder(SelectFiltered);
        var clauses = new List<string>();
        var parameters = new List<(string, object)>();
        void Add(string clause, string name, object? value)
        {
            if (value is null) return;
            clauses.Add(clause);
            parameters.Add((name, value));
        }
        Add("subject_team = @team", "@team", filter.Team);
        Add("subject_model = @model", "@model", filter.Model);
        Add("actor = @actor", "@actor", filter.Actor);
        Add("action = @action", "@action", filter.Action);
        Add("at >= @from", "@from", filter.From?.ToUnixTimeMilliseconds());
        Add("at < @to", "@to", filter.To?.ToUnixTimeMilliseconds());
        Add("seq < @before", "@before", before);
        Add("seq <= @upTo", "@upTo", upTo);
        if (clauses.Count > 0) sql.Append(" WHERE ").AppendJoin(" AND ", clauses);
        sql.Append(descending ? " ORDER BY seq DESC" : " ORDER BY seq");
        if (limit is { } l)
        {
            sql.Append(" LIMIT @limit");
            parameters.Add(("@limit", l));
        }
        return new AuditCursor(connection, sql.ToString(), parameters);
    }
}
