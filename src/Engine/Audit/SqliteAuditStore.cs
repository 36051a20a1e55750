using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace ModelWatch.Engine.Audit;

/// <summary>The audit SQL only SQLite speaks. Appends are serialised by the write transaction (BEGIN IMMEDIATE).</summary>
internal sealed class SqliteAuditStore : AuditStore
{
    public static SqliteAuditStore Instance { get; } = new();

    // The write lock taken at BEGIN IMMEDIATE already keeps every other writer out.
    protected override string SelectHeadForAppend => "SELECT seq, hash FROM audit_head WHERE id = 1";

    // f(null) = '~', f(x) = byte length ':' x ','; the chain walk reads five columns per entry instead of twelve.
    protected override string SelectChain => """
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

    // The raw statement runs on the connection, inside whatever transaction it has open.
    protected override AuditCursor Cursor(DbConnection connection, DbTransaction? transaction, string sql, IReadOnlyList<(string Name, object Value)> parameters) =>
        new SqliteAuditCursor((SqliteConnection)connection, sql, parameters);
}
