using Dapper;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace ModelWatch.Engine.Storage.Postgres;

/// <summary>
/// Applies the embedded PostgreSQL migrations (Storage/Postgres/Migrations) in order, each in its own transaction, while
/// holding a session advisory lock: when several nodes start together, one migrates and the others wait, then find
/// nothing left to do.
/// </summary>
public sealed class PostgresMigrationRunner(PostgresConnectionFactory connections, TimeProvider clock, ILogger<PostgresMigrationRunner> logger)
{
    /// <summary>The advisory lock key every node agrees on ("mwmigrat" in ASCII).</summary>
    public const long LockKey = 0x6D776D6967726174;

    private const string Lock = "SELECT pg_advisory_lock(@Key)";
    private const string Unlock = "SELECT pg_advisory_unlock(@Key)";
    private const string CreateJournal = """
        CREATE TABLE IF NOT EXISTS schema_version (
            version    INTEGER PRIMARY KEY,
            name       TEXT    NOT NULL,
            applied_at BIGINT  NOT NULL
        )
        """;
    private const string SelectApplied = "SELECT COALESCE(MAX(version), 0) FROM schema_version";
    private const string InsertApplied = "INSERT INTO schema_version (version, name, applied_at) VALUES (@Version, @Name, @AppliedAt)";

    public static IReadOnlyList<Migration> Embedded { get; } = EmbeddedMigrations.Load("Storage.Postgres.Migrations");

    /// <summary>The migrations this runner applies; tests substitute their own to widen a race.</summary>
    internal IReadOnlyList<Migration> Migrations { get; init; } = Embedded;

    /// <summary>Brings the database to the newest schema this build knows; returns the resulting version.</summary>
    public int Migrate()
    {
        using var connection = connections.Open();
        connection.Execute(Lock, new { Key = LockKey });
        try
        {
            return MigrateLocked(connection);
        }
        finally
        {
            connection.Execute(Unlock, new { Key = LockKey });
        }
    }

    private int MigrateLocked(NpgsqlConnection connection)
    {
        // The audit chain hashes UTF-8 bytes that PostgreSQL counts with octet_length: any other encoding breaks it.
        var encoding = connection.ExecuteScalar<string>("SHOW server_encoding");
        if (!string.Equals(encoding, "UTF8", StringComparison.OrdinalIgnoreCase))
            throw new InvalidOperationException($"The PostgreSQL database '{connections.DataSource}' uses encoding {encoding}; the portal needs UTF8 (CREATE DATABASE ... ENCODING 'UTF8').");
        connection.Execute(CreateJournal);
        var current = connection.ExecuteScalar<int>(SelectApplied);
        var newest = Migrations.Count == 0 ? 0 : Migrations[^1].Version;
        if (current > newest)
        {
            throw new SchemaTooNewException(
                $"The PostgreSQL database '{connections.DataSource}' is at schema version {current}, but this build of the portal only knows up to version {newest}. " +
                "Run a newer build of the portal on every node, or point ConnectionStrings:Portal at another database.");
        }

        foreach (var migration in Migrations.Where(m => m.Version > current))
        {
            using var transaction = connection.BeginTransaction();
            connection.Execute(migration.Sql, transaction: transaction);
            connection.Execute(InsertApplied, new { migration.Version, migration.Name, AppliedAt = clock.GetUtcNow().ToUnixTimeMilliseconds() }, transaction);
            transaction.Commit();
            logger.LogInformation("Applied PostgreSQL migration {Version} {Name}", migration.Version, migration.Name);
            current = migration.Version;
        }
        return current;
    }
}
