using System.Data;
using System.Data.Common;
using Npgsql;
using NpgsqlTypes;

namespace ModelWatch.Engine.Storage;

public sealed class PostgresDialect : SqlDialect
{
    public static PostgresDialect Instance { get; } = new();

    private PostgresDialect() { }

    public override string InsertIgnoringDuplicates(string table, string columns, string values) =>
        $"INSERT INTO {table} ({columns}) VALUES ({values}) ON CONFLICT DO NOTHING";

    public override bool IsUniqueViolation(Exception exception) =>
        exception is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation };

    // Row locks (SELECT ... FOR UPDATE) or advisory locks serialise what must be serial; READ COMMITTED is enough around them.
    public override DbTransaction BeginWrite(DbConnection connection) => connection.BeginTransaction(IsolationLevel.ReadCommitted);

    public override DbTransaction BeginSnapshot(DbConnection connection) => connection.BeginTransaction(IsolationLevel.RepeatableRead);

    public override long BulkInsert(DbConnection connection, DbTransaction transaction, BulkTable table, IEnumerable<object?[]> rows)
    {
        var copy = $"COPY {table.Name} ({string.Join(", ", table.Columns.Select(c => c.Name))}) FROM STDIN (FORMAT BINARY)";
        var types = table.Columns.Select(c => Type(c.Type)).ToArray();
        using var importer = ((NpgsqlConnection)connection).BeginBinaryImport(copy);
        foreach (var row in rows)
        {
            CheckWidth(table, row);
            importer.StartRow();
            for (var i = 0; i < row.Length; i++)
            {
                if (row[i] is null) importer.WriteNull();
                else importer.Write(row[i]!, types[i]);
            }
        }
        return (long)importer.Complete();
    }

    private static NpgsqlDbType Type(BulkType type) => type switch
    {
        BulkType.Int64 => NpgsqlDbType.Bigint,
        BulkType.Double => NpgsqlDbType.Double,
        BulkType.Bytes => NpgsqlDbType.Bytea,
        BulkType.Boolean => NpgsqlDbType.Boolean,
        _ => NpgsqlDbType.Text,
    };
}
