using System.Data.Common;
using Npgsql;

namespace ModelWatch.Engine.Audit;

/// <summary>The audit SQL only PostgreSQL speaks. Appends lock the head row, which serialises them across nodes.</summary>
internal sealed class PostgresAuditStore : AuditStore
{
    public static PostgresAuditStore Instance { get; } = new();

    // A second append (this node or another) waits here until the first commits, then reads the moved head.
    protected override string SelectHeadForAppend => "SELECT seq, hash FROM audit_head WHERE id = 1 FOR UPDATE";

    // Same netstrings as SQLite's: octet_length counts UTF-8 bytes (the database encoding is UTF8).
    protected override string SelectChain => """
        SELECT seq, at, prev_hash, hash,
               COALESCE(octet_length(actor) || ':' || actor || ',', '~') ||
               COALESCE(octet_length(action) || ':' || action || ',', '~') ||
               COALESCE(octet_length(subject_team) || ':' || subject_team || ',', '~') ||
               COALESCE(octet_length(subject_model) || ':' || subject_model || ',', '~') ||
               COALESCE(octet_length(subject_version) || ':' || subject_version || ',', '~') ||
               COALESCE(octet_length(before) || ':' || before || ',', '~') ||
               COALESCE(octet_length(after) || ':' || after || ',', '~') ||
               COALESCE(octet_length(reason) || ':' || reason || ',', '~')
        FROM audit_log ORDER BY seq
        """;

    protected override AuditCursor Cursor(DbConnection connection, DbTransaction? transaction, string sql, IReadOnlyList<(string Name, object Value)> parameters) =>
        new PostgresAuditCursor((NpgsqlConnection)connection, (NpgsqlTransaction?)transaction, sql, parameters);
}
