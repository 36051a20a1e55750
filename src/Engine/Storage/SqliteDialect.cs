using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace ModelWatch.Engine.Storage;

public sealed class SqliteDialect : SqlDialect
{
    public static SqliteDialect Instance { get; } = new();

    private const int Constraint = 19, ConstraintUnique = 2067, ConstraintPrimaryKey = 1555;

    private SqliteDialect() { }

    public override string InsertIgnoringDuplicates(string table, string columns, string values) =>
        $"INSERT OR IGNORE INTO {table} ({columns}) VALUES ({values})";

    public override bool IsUniqueViolation(Exception exception) =>
        exception is SqliteException { SqliteErrorCode: Constraint } e && e.SqliteExtendedErrorCode is ConstraintUnique or ConstraintPrimaryKey;

    // Microsoft.Data.Sqlite begins IMMEDIATE unless asked for deferred: the write lock is taken at BEGIN.
    public override DbTransaction BeginWrite(DbConnection connection) => ((SqliteConnection)connection).BeginTransaction(deferred: false);

    // A deferred transaction takes its snapshot at the first read and keeps it (WAL mode).
    public override DbTransaction BeginSnapshot(DbConnection connection) => ((SqliteConnection)connection).BeginTransaction(deferred: true);

    public override long BulkInsert(DbConnection connection, DbTransaction transaction, BulkTable table, IEnumerable<object?[]> rows)
    {
        using var command = (SqliteCommand)connection.CreateCommand();
        command.Transaction = (SqliteTransaction)transaction;
        command.CommandText = $"INSERT INTO {table.Name} ({string.Join(", ", table.Columns.Select(c => c.Name))}) " +
                              $"VALUES ({string.Join(", ", table.Columns.Select((_, i) => "$p" + i))})";
        var parameters = table.Columns.Select((c, i) => command.Parameters.Add("$p" + i, Affinity(c.Type))).ToArray();
        command.Prepare();
        long count = 0;
        foreach (var row in rows)
        {
            CheckWidth(table, row);
            for (var i = 0; i < row.Length; i++) parameters[i].Value = row[i] ?? DBNull.Value;
            command.ExecuteNonQuery();
            count++;
        }
        return count;
    }

    private static SqliteType Affinity(BulkType type) => type switch
    {
        BulkType.Int64 or BulkType.Boolean => SqliteType.Integer,
        BulkType.Double => SqliteType.Real,
        BulkType.Bytes => SqliteType.Blob,
        _ => SqliteType.Text,
    };
}
