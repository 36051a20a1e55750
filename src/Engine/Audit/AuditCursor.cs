using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace ModelWatch.Engine.Audit;

/// <summary>
/// A forward-only read of audit rows straight from SQLite's row buffer: text columns come back as UTF-8 spans with no
/// string per field. This is what lets a million-entry verify or export run in seconds with flat memory.
/// Columns are those of <see cref="AuditStore"/>'s selects: seq, at, actor, ..., prev_hash, hash.
/// </summary>
internal sealed class AuditCursor : IDisposable
{
    public const int Seq = 0, At = 1, Actor = 2, Action = 3, Team = 4, Model = 5, Version = 6, Before = 7, After = 8, Reason = 9, PrevHash = 10, Hash = 11;

    private readonly sqlite3 _db;
    private readonly sqlite3_stmt _statement;

    public AuditCursor(SqliteConnection connection, string sql, IReadOnlyList<(string Name, object Value)> parameters)
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

    public bool Next()
    {
        var result = raw.sqlite3_step(_statement);
        if (result == raw.SQLITE_ROW) return true;
        if (result == raw.SQLITE_DONE) return false;
        Check(result);
        return false;
    }

    public long Int64(int column) => raw.sqlite3_column_int64(_statement, column);

    public bool IsNull(int column) => raw.sqlite3_column_type(_statement, column) == raw.SQLITE_NULL;

    /// <summary>The column's UTF-8 bytes, valid until the next call to <see cref="Next"/>.</summary>
    public ReadOnlySpan<byte> Utf8(int column) => raw.sqlite3_column_blob(_statement, column);

    public string? Text(int column) => IsNull(column) ? null : System.Text.Encoding.UTF8.GetString(Utf8(column));

    public AuditEntry Entry() => new(
        Int64(Seq), DateTimeOffset.FromUnixTimeMilliseconds(Int64(At)), Text(Actor)!, Text(Action)!, Text(Team), Text(Model), Text(Version),
        Text(Before), Text(After), Text(Reason), Text(PrevHash)!, Text(Hash)!);

    private void Check(int result)
    {
        if (result is not (raw.SQLITE_OK or raw.SQLITE_ROW or raw.SQLITE_DONE))
            throw new SqliteException(raw.sqlite3_errmsg(_db).utf8_to_string(), result);
    }

    public void Dispose() => _statement.Dispose();
}
