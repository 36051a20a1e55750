using System.Text;
using Npgsql;

namespace ModelWatch.Engine.Audit;

/// <summary>Audit rows from an Npgsql reader; each text column is encoded into a buffer of its own, reused row after row.</summary>
internal sealed class PostgresAuditCursor : AuditCursor
{
    private readonly NpgsqlCommand _command;
    private readonly NpgsqlDataReader _reader;
    private readonly byte[][] _buffers;
    private readonly int[] _lengths;
    private long _current;
    private readonly long[] _encodedAt;

    public PostgresAuditCursor(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql, IReadOnlyList<(string Name, object Value)> parameters)
    {
        _command = new NpgsqlCommand(sql, connection, transaction);
        foreach (var (name, value) in parameters) _command.Parameters.AddWithValue(name.TrimStart('@'), value);
        _reader = _command.ExecuteReader();
        _buffers = new byte[_reader.FieldCount][];
        _lengths = new int[_reader.FieldCount];
        _encodedAt = new long[_reader.FieldCount];
    }

    public override bool Next()
    {
        if (!_reader.Read()) return false;
        _current++;
        return true;
    }

    public override long Int64(int column) => _reader.GetInt64(column);

    public override bool IsNull(int column) => _reader.IsDBNull(column);

    public override ReadOnlySpan<byte> Utf8(int column)
    {
        // Encoded once per row and column: Verify reads a column twice (compare, then copy).
        if (_encodedAt[column] != _current)
        {
            var text = _reader.IsDBNull(column) ? "" : _reader.GetString(column);
            var needed = Encoding.UTF8.GetMaxByteCount(text.Length);
            if (_buffers[column] is null || _buffers[column].Length < needed) _buffers[column] = new byte[Math.Max(needed, 256)];
            _lengths[column] = Encoding.UTF8.GetBytes(text, _buffers[column]);
            _encodedAt[column] = _current;
        }
        return _buffers[column].AsSpan(0, _lengths[column]);
    }

    public override void Dispose()
    {
        _reader.Dispose();
        _command.Dispose();
    }
}
