using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace ModelWatch.Engine.Storage;

/// <summary>Opens connections with the pragmas every connection needs (they are per-connection in SQLite).</summary>
public sealed class SqliteConnectionFactory : IConnectionFactory
{
    private readonly string _connectionString;
    private readonly string _pragmas;

    public SqliteConnectionFactory(IOptions<StorageOptions> options)
    {
        var o = options.Value;
        var builder = new SqliteConnectionStringBuilder(o.ConnectionString) { Pooling = true };
        _connectionString = builder.ToString();
        _pragmas = $"PRAGMA foreign_keys=ON; PRAGMA busy_timeout={o.BusyTimeoutMs}; PRAGMA synchronous={o.Synchronous};"
                   + (o.MaxSizeMb is { } mb ? $" PRAGMA max_page_count={MaxPages(mb)};" : "");
        DataSource = builder.DataSource;
        EnsureFolderExists(builder);
    }

    public string DataSource { get; }

    public StorageProvider Provider => StorageProvider.Sqlite;

    public SqlDialect Dialect => SqliteDialect.Instance;

    DbConnection IConnectionFactory.Open() => Open();

    // Pages are 4 KB (SQLite's default, which the migrations never change).
    private static long MaxPages(int megabytes) => megabytes * 1024L * 1024 / 4096;

    public SqliteConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = _pragmas;
        command.ExecuteNonQuery();
        return connection;
    }

    private static void EnsureFolderExists(SqliteConnectionStringBuilder builder)
    {
        if (builder.Mode == SqliteOpenMode.Memory || builder.DataSource is "" or ":memory:") return;
        var folder = Path.GetDirectoryName(Path.GetFullPath(builder.DataSource));
        if (!string.IsNullOrEmpty(folder)) Directory.CreateDirectory(folder);
    }
}
