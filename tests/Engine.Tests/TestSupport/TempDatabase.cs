using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using ModelWatch.Engine.Storage;

namespace ModelWatch.Engine.Tests.TestSupport;

/// <summary>A SQLite file of its own in the temp folder, deleted (with its -wal and -shm files) on dispose.</summary>
public sealed class TempDatabase : IDisposable
{
    public TempDatabase(string synchronous = "NORMAL", string? pathOverride = null)
    {
        var folder = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "modelwatch-engine-tests");
        Path = pathOverride ?? System.IO.Path.Combine(folder, $"{Guid.NewGuid():N}.db");
        ConnectionString = $"Data Source={Path}";
        Connections = new SqliteConnectionFactory(Options.Create(new StorageOptions { ConnectionString = ConnectionString, Synchronous = synchronous }));
    }

    public string Path { get; }

    /// <summary>Set when a later test step reopens the same file (a restart); the last user deletes it.</summary>
    public bool KeepFile { get; set; }
    public string ConnectionString { get; }
    public SqliteConnectionFactory Connections { get; }

    /// <summary>A plain connection with no pragmas, as an outside observer of the file would open it.</summary>
    public SqliteConnection OpenRaw()
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder(ConnectionString) { Pooling = false }.ToString());
        connection.Open();
        return connection;
    }

    public long Scalar(string sql, object? parameters = null)
    {
        using var connection = OpenRaw();
        return connection.ExecuteScalar<long>(sql, parameters);
    }

    public long Count(string table) => Scalar($"SELECT COUNT(*) FROM {table}");

    /// <summary>Row counts of every event table, to show that a refused batch left nothing behind.</summary>
    public EventCounts Counts() => new(
        Count("predictions"), Count("labels"), Count("operational_samples"), Count("cost_records"), Count("reference_rows"),
        Scalar("SELECT COALESCE(SUM(predictions), 0) + COALESCE(SUM(labels), 0) + COALESCE(SUM(duplicates), 0) FROM model_stats"));

    public void Dispose()
    {
        using (var pooled = new SqliteConnection(ConnectionString)) SqliteConnection.ClearPool(pooled);
        if (KeepFile) return;
        foreach (var file in new[] { Path, Path + "-wal", Path + "-shm" })
        {
            try { File.Delete(file); } catch (IOException) { /* a handle still closing; the temp folder is cleaned eventually */ }
        }
    }
}

public sealed record EventCounts(long Predictions, long Labels, long Samples, long Costs, long ReferenceRows, long StatsTotal);
