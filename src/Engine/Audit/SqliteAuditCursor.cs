using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace ModelWatch.Engine.Audit;

/// <summary>Audit rows straight from SQLite's row buffer: text columns come back as spans with no string per field.</summary>
internal sealed class SqliteAuditCursor : AuditCursor
{
    private readonly sqlite3 _db;
    private readonly sqlite3_stmt _statement;

    public SqliteAuditCursor(SqliteConnection connection, string sql, IReadOnlyList<(string Name, object Value)> parameters)
    {
        _db = connection.Handle!;
        Check(raw.sqlite3_prepare_v2(_db, sql, out _statement));
        foreach (var (name, value) in parameters)
        {
            var index = raw.sqlite3_bind_parameter_index(_statement, name);
            Check(value switch
            {
                long l => raw.sqlite3_bind_int64(_statement, index, l),
                int i => raw.sqlite3_bind_int64(_statement, index, i),
                string s => raw.sqlite3_bind_text(_statement, index, s),
                _ => throw new ArgumentException($"Unsupported parameter type {value.GetType()}"),
            });
        }
    }

    public override bool Next()
    {
        var result = raw.sqlite3_step(_statement);
        if (result == raw.SQLITE_ROW) return true;
        if (result == raw.SQLITE_DONE) return false;
        Check(result);
        return false;
    }

    public override long Int64(int column) => raw.sqlite3_column_int64(_statement, column);

    public override bool IsNull(int column) => raw.sqlite3_column_type(_statement, column) == raw.SQLITE_NULL;

    public override ReadOnlySpan<byte> Utf8(int column) => raw.sqlite3_column_blob(_statement, column);

    private void Check(int result)
    {
        if (result is not (raw.SQLITE_OK or raw.SQLITE_ROW or raw.SQLITE_DONE))
            throw new SqliteException(raw.sqlite3_errmsg(_db).utf8_to_string(), result);
    }

    public override void Dispose() => _statement.Dispose();
}
