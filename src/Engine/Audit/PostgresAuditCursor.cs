using Npgsql;

namespace ModelWatch.Engine.Audit;

/// <summary>
/// Audit rows from an Npgsql reader. Text columns are read as their raw UTF-8 bytes (the database encoding is UTF8,
/// checked at migration) into one buffer per column, reused row after row: no string per field, as on SQLite.
/// </summary>
internal sealed class PostgresAuditCursor : AuditCursor
{
    private readonly NpgsqlCommand _command;
    private readonly NpgsqlDataReader _reader;
    private readonly byte[][] _buffers;
    private readonly int[] _lengths;
    private readonly long[] _readAt;
    private long _row;

    public PostgresAuditCursor(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql, IReadOnlyList<(string Name, object Value)> parameters)
    {
        _command = new NpgsqlCommand(sql, connection, transaction);
        foreach (var (name, value) in parameters) _command.Parameters.AddWithValue(name.TrimStart('@'), value);
        _reader = _command.ExecuteReader();
        _buffers = new byte[_reader.FieldCount][];
        _lengths = new int[_reader.FieldCount];
        _readAt = new long[_reader.FieldCount];
    }

    public override bool Next()
    {
        if (!_reader.Read()) return false;
        _row++;
        return true;
    }

    public override long Int64(int column) => _reader.GetInt64(column);

    public override bool IsNull(int column) => _reader.IsDBNull(column);

    public override ReadOnlySpan<byte> Utf8(int column)
    {
        // Read once per row and column: Verify looks at a column twice (compare, then copy).
        if (_readAt[column] == _row) return _buffers[column].AsSpan(0, _lengths[column]);
        _readAt[column] = _row;
        _lengths[column] = 0;
        if (_reader.IsDBNull(column)) return [];
        using var stream = _reader.GetStream(column);
        var length = checked((int)stream.Length);
        if (_buffers[column] is null || _buffers[column].Length < length) _buffers[column] = new byte[Math.Max(length, 256)];
        stream.ReadExactly(_buffers[column], 0, length);
        _lengths[column] = length;
        return _buffers[column].AsSpan(0, length);
    }

    public override void Dispose()
    {
        _reader.Dispose();
        _command.Dispose();
    }
}
