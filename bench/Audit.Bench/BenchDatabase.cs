using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using ModelWatch.Engine.Storage;
using ModelWatch.Engine.Storage.Postgres;
using Npgsql;

namespace ModelWatch.Audit.Bench;

/// <summary>A migrated, empty database of the chosen provider, removed on dispose: a temp SQLite file or a temp PostgreSQL database.</summary>
internal sealed class BenchDatabase : IAsyncDisposable
{
    private readonly string? _sqlitePath;
    private readonly string? _postgresServer;
    private readonly string? _postgresName;
    private readonly List<PostgresConnectionFactory> _pools = [];

    private BenchDatabase(string? sqlitePath, string? postgresServer, string? postgresName)
    {
        (_sqlitePath, _postgresServer, _postgresName) = (sqlitePath, postgresServer, postgresName);
        Connections = NewNode();
    }

    public IConnectionFactory Connections { get; }

    public static BenchDatabase Create(string provider, string postgresServer)
    {
        switch (StorageProviders.Parse(provider))
        {
            case StorageProvider.Postgres:
                if (postgresServer.Length == 0) throw new ArgumentException("--provider postgres needs --postgres \"Host=...;Username=...\" (or MODELWATCH_TEST_POSTGRES).");
                var name = "audit_bench_" + Guid.NewGuid().ToString("N");
                using (var admin = new NpgsqlConnection(postgresServer))
                {
                    admin.Open();
                    admin.Execute($"CREATE DATABASE {name} ENCODING 'UTF8' TEMPLATE template0");
                }
                var pg = new BenchDatabase(null, postgresServer, name);
                new PostgresMigrationRunner((PostgresConnectionFactory)pg.Connections, TimeProvider.System, NullLogger<PostgresMigrationRunner>.Instance).Migrate();
                return pg;
            case StorageProvider.Sqlite:
                var db = new BenchDatabase(Path.Combine(Path.GetTempPath(), $"audit-bench-{Guid.NewGuid():N}.db"), null, null);
                new MigrationRunner((SqliteConnectionFactory)db.Connections, TimeProvider.System, NullLogger<MigrationRunner>.Instance).Migrate();
                return db;
            default:
                throw new ArgumentException($"--provider must be sqlite or postgres (got '{provider}').");
        }
    }

    /// <summary>A connection pool of its own on the same database, as another portal node has.</summary>
    public IConnectionFactory NewNode()
    {
        if (_sqlitePath is not null)
            return new SqliteConnectionFactory(Options.Create(new StorageOptions { ConnectionString = $"Data Source={_sqlitePath}" }));
        var pool = new PostgresConnectionFactory(new NpgsqlConnectionStringBuilder(_postgresServer) { Database = _postgresName, MaxPoolSize = 20 }.ToString());
        _pools.Add(pool);
        return pool;
    }

    public long SizeBytes()
    {
        if (_sqlitePath is not null) return new FileInfo(_sqlitePath).Length + (File.Exists(_sqlitePath + "-wal") ? new FileInfo(_sqlitePath + "-wal").Length : 0);
        using var connection = Connections.Open();
        return connection.ExecuteScalar<long>("SELECT pg_database_size(current_database())");
    }

    public async ValueTask DisposeAsync()
    {
        if (_sqlitePath is not null)
        {
            SqliteConnection.ClearAllPools();
            foreach (var f in new[] { _sqlitePath, _sqlitePath + "-wal", _sqlitePath + "-shm" }) File.Delete(f);
            return;
        }
        foreach (var pool in _pools) pool.Dispose();
        NpgsqlConnection.ClearAllPools();
        await using var admin = new NpgsqlConnection(_postgresServer);
        await admin.OpenAsync();
        await admin.ExecuteAsync($"DROP DATABASE IF EXISTS {_postgresName} WITH (FORCE)");
    }
}
