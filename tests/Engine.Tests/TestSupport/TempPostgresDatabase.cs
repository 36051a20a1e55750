using Dapper;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using ModelWatch.Engine.Storage;
using ModelWatch.Engine.Storage.Postgres;

namespace ModelWatch.Engine.Tests.TestSupport;

/// <summary>A PostgreSQL database of its own on the test server (MODELWATCH_TEST_POSTGRES), dropped on dispose.</summary>
public sealed class TempPostgresDatabase : IDisposable
{
    private readonly string _server;
    private readonly List<PostgresConnectionFactory> _factories = [];

    public TempPostgresDatabase()
    {
        _server = TestServices.Postgres;
        Name = "mw_test_" + Guid.NewGuid().ToString("N");
        using (var admin = new NpgsqlConnection(_server))
        {
            admin.Open();
            admin.Execute($"CREATE DATABASE {Name} ENCODING 'UTF8' TEMPLATE template0");
        }
        ConnectionString = new NpgsqlConnectionStringBuilder(_server) { Database = Name }.ToString();
        Connections = NewFactory();
    }

    public string Name { get; }
    public string ConnectionString { get; }
    public PostgresConnectionFactory Connections { get; }

    /// <summary>Another pool on the same database, as a second portal node would have.</summary>
    public PostgresConnectionFactory NewFactory()
    {
        var factory = new PostgresConnectionFactory(ConnectionString);
        _factories.Add(factory);
        return factory;
    }

    public PostgresMigrationRunner Runner(TimeProvider clock, PostgresConnectionFactory? factory = null) =>
        new(factory ?? Connections, clock, NullLogger<PostgresMigrationRunner>.Instance);

    /// <summary>A plain connection, as an outside observer (or an attacker with database access) would open it.</summary>
    public NpgsqlConnection OpenRaw()
    {
        var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(ConnectionString) { Pooling = false }.ToString());
        connection.Open();
        return connection;
    }

    public long Scalar(string sql, object? parameters = null)
    {
        using var connection = OpenRaw();
        return connection.ExecuteScalar<long>(sql, parameters);
    }

    public void Dispose()
    {
        foreach (var factory in _factories) factory.Dispose();
        NpgsqlConnection.ClearAllPools();
        using var admin = new NpgsqlConnection(_server);
        admin.Open();
        admin.Execute($"DROP DATABASE IF EXISTS {Name} WITH (FORCE)");
    }
}
