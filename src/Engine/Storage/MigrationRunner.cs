using Dapper;
using Microsoft.Extensions.Logging;

namespace ModelWatch.Engine.Storage;

/// <summary>Applies the embedded, numbered .sql migrations in order, each in its own transaction.</summary>
public sealed class MigrationRunner(SqliteConnectionFactory connections, TimeProvider clock, ILogger<MigrationRunner> logger)
{
    private const string CreateJournal = """
        CREATE TABLE IF NOT EXISTS schema_version (
            version    INTEGER PRIMARY KEY,
            name       TEXT    NOT NULL,
            applied_at INTEGER NOT NULL
        );
        """;
    private const string CountTables = "SELECT COUNT(*) FROM sqlite_master";
    private const string SelectApplied = "SELECT COALESCE(MAX(version), 0) FROM schema_version";
    private const string InsertApplied = "INSERT INTO schema_version (version, name, applied_at) VALUES (@Version, @Name, @AppliedAt)";

    public static IReadOnlyList<Migration> Embedded { get; } = LoadEmbedded();

    /// <summary>Brings the database to the newest schema this build knows; returns the resulting version.</summary>
    public int Migrate() => MigrateTo(Embedded.Count == 0 ? 0 : Embedded[^1].Version);

    /// <summary>Migrates up to <paramref name="target"/> (tests use this to seed rows in an older shape).</summary>
    public int MigrateTo(int target)
    {
        using var connection = connections.Open();
        // auto_vacuum can only be chosen before the first table exists: a new database lets the raw-event pruner give
        // freed pages back. An older database keeps its mode until an operator runs VACUUM (see README, retention).
        if (connection.ExecuteScalar<long>(CountTables) == 0) connection.Execute("PRAGMA auto_vacuum=INCREMENTAL;");
        // WAL is a property of the file, so setting it once here covers every later connection.
        connection.Execute("PRAGMA journal_mode=WAL;");
        connection.Execute(CreateJournal);
        var current = connection.ExecuteScalar<int>(SelectApplied);
        var newest = Embedded.Count == 0 ? 0 : Embedded[^1].Version;
        if (current > newest)
        {
            throw new SchemaTooNewException(
                $"The database '{connections.DataSource}' is at schema version {current}, but this build of the portal only knows up to version {newest}. " +
                "Run a newer build of the portal, or point ConnectionStrings:Portal at another database file.");
        }

        foreach (var migration in Embedded.Where(m => m.Version > current && m.Version <= target))
        {
            using var transaction = connection.BeginTransaction();
            connection.Execute(migration.Sql, transaction: transaction);
            connection.Execute(InsertApplied, new { migration.Version, migration.Name, AppliedAt = clock.GetUtcNow().ToUnixTimeMilliseconds() }, transaction);
            transaction.Commit();
            logger.LogInformation("Applied migration {Version} {Name}", migration.Version, migration.Name);
            current = migration.Version;
        }
        return current;
    }

    private static List<Migration> LoadEmbedded() => EmbeddedMigrations.Load("Storage.Migrations");
}

public sealed record Migration(int Version, string Name, string Sql);

public sealed class SchemaTooNewException(string message) : Exception(message);
