using System.Data.Common;
using System.Text;
using Dapper;
using ModelWatch.Engine.Storage;

namespace ModelWatch.Engine.Audit;

/// <summary>
/// The audit log's SQL. Entries are only ever inserted; the head moves with each insert. What both providers say alike
/// is here; what differs (locking the head, building the netstrings, reading rows as spans) is in
/// <see cref="SqliteAuditStore"/> and <see cref="PostgresAuditStore"/>.
/// </summary>
internal abstract class AuditStore
{
    protected const string Columns = "seq, at, actor, action, subject_team, subject_model, subject_version, before, after, reason, prev_hash, hash";

    private const string SelectHead = "SELECT seq, hash FROM audit_head WHERE id = 1";
    private const string Insert = """
        INSERT INTO audit_log (seq, at, actor, action, subject_team, subject_model, subject_version, before, after, reason, prev_hash, hash)
        VALUES (@Sequence, @At, @Actor, @Action, @Team, @Model, @Version, @Before, @After, @Reason, @PrevHash, @Hash)
        """;
    private const string MoveHead = "UPDATE audit_head SET seq = @Sequence, hash = @Hash WHERE id = 1";
    private const string SelectFiltered = $"SELECT {Columns} FROM audit_log";
    private const string SelectOwnerTeam = "SELECT team_id FROM models WHERE id = @Model";

    public static AuditStore For(StorageProvider provider) => provider switch
    {
        StorageProvider.Postgres => PostgresAuditStore.Instance,
        _ => SqliteAuditStore.Instance,
    };

    /// <summary>The head an append builds on, read so that no other append (on any node) can move it before this one commits.</summary>
    protected abstract string SelectHeadForAppend { get; }

    /// <summary>seq, at, prev_hash, hash and the eight text fields already concatenated as netstrings (must match CanonicalBuffer.Add).</summary>
    protected abstract string SelectChain { get; }

    protected abstract AuditCursor Cursor(DbConnection connection, DbTransaction? transaction, string sql, IReadOnlyList<(string Name, object Value)> parameters);

    public (long Sequence, string Hash) Head(DbConnection connection, DbTransaction? transaction = null) =>
        connection.QuerySingle<(long, string)>(SelectHead, transaction: transaction);

    public (long Sequence, string Hash) HeadForAppend(DbConnection connection, DbTransaction transaction) =>
        connection.QuerySingle<(long, string)>(SelectHeadForAppend, transaction: transaction);

    public string? OwnerTeam(DbConnection connection, DbTransaction transaction, string model) =>
        connection.QuerySingleOrDefault<string?>(SelectOwnerTeam, new { Model = model }, transaction);

    public void Append(DbConnection connection, DbTransaction transaction, AuditEntry entry)
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
    public AuditCursor ReadChain(DbConnection connection, DbTransaction? transaction) => Cursor(connection, transaction, SelectChain, []);

    /// <summary>Entries matching the filter: ascending up to <paramref name="upTo"/> (exports) or descending below <paramref name="before"/> (pages).</summary>
    public AuditCursor ReadFiltered(DbConnection connection, DbTransaction? transaction, AuditFilter filter, long? before, long? upTo, bool descending, int? limit)
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
            parameters.Add(("@limit", (long)l));
        }
        return Cursor(connection, transaction, sql.ToString(), parameters);
    }
}
