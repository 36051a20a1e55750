using System.Data.Common;

namespace ModelWatch.Engine.Storage;

/// <summary>
/// The few things SQLite and PostgreSQL say differently. Everything else (named parameters, RETURNING, LIMIT, COALESCE)
/// is written once in the stores: both engines accept it (RETURNING since SQLite 3.35).
/// </summary>
public abstract class SqlDialect
{
    /// <summary>An INSERT that skips rows whose key already exists (idempotent retries, duplicate ids across nodes).</summary>
    public abstract string InsertIgnoringDuplicates(string table, string columns, string values);

    /// <summary>An INSERT that returns the generated key of the new row (read it with ExecuteScalar).</summary>
    public static string InsertReturning(string insert, string keyColumn) => $"{insert} RETURNING {keyColumn}";

    /// <summary>True when the exception is a UNIQUE or PRIMARY KEY violation (a duplicate), not another failure.</summary>
    public abstract bool IsUniqueViolation(Exception exception);

    /// <summary>A write transaction that takes the write lock up front, so two writers never deadlock upgrading a read.</summary>
    public abstract DbTransaction BeginWrite(DbConnection connection);

    /// <summary>A read-only transaction that sees one snapshot however long it lasts (verify, export).</summary>
    public abstract DbTransaction BeginSnapshot(DbConnection connection);

    /// <summary>Inserts many rows fast: binary COPY on PostgreSQL, one prepared statement reused on SQLite. Returns the row count.</summary>
    public abstract long BulkInsert(DbConnection connection, DbTransaction transaction, BulkTable table, IEnumerable<object?[]> rows);

    protected static void CheckWidth(BulkTable table, object?[] row)
    {
        if (row.Length != table.Columns.Count)
            throw new ArgumentException($"A row for {table.Name} has {row.Length} values but the table lists {table.Columns.Count} columns.", nameof(row));
    }
}

/// <summary>A table and the columns a bulk insert fills, in the order of each row's values.</summary>
public sealed record BulkTable(string Name, IReadOnlyList<BulkColumn> Columns);

public sealed record BulkColumn(string Name, BulkType Type);

/// <summary>The value types a bulk insert writes; binary COPY needs the exact type of each column.</summary>
public enum BulkType
{
    Int64,
    Double,
    Text,
    Bytes,
    Boolean,
}
