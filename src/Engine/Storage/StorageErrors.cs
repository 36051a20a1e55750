using Microsoft.Data.Sqlite;

namespace ModelWatch.Engine.Storage;

/// <summary>Tells storage failures (the disk, not the request) apart from other database errors.</summary>
public static class StorageErrors
{
    private const int Busy = 5, ReadOnly = 8, IoError = 10, Corrupt = 11, Full = 13, CantOpen = 14;

    /// <summary>True when the database could not write for reasons outside the request: retrying later may work.</summary>
    public static bool IsStorageFailure(SqliteException e) => e.SqliteErrorCode is ReadOnly or IoError or Corrupt or Full or CantOpen;

    public static bool IsBusy(SqliteException e) => e.SqliteErrorCode == Busy;

    public static string Describe(SqliteException e) => e.SqliteErrorCode switch
    {
        Full => "the database or disk is full",
        ReadOnly => "the database is read-only (file permissions or a read-only file system)",
        IoError => "the disk reported an I/O error",
        CantOpen => "the database file could not be opened",
        Busy => "the database is busy",
        _ => e.Message,
    };
}
