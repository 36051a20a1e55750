using Dapper;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using ModelWatch.Engine.Storage;
using ModelWatch.Engine.Tests.TestSupport;

namespace ModelWatch.Engine.Tests.Storage;

public sealed class MigrationRunnerTests : IDisposable
{
    private readonly TempDatabase _database = new();
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero));

    private static int Newest => MigrationRunner.Embedded[^1].Version;

    private MigrationRunner Runner() => new(_database.Connections, _clock, NullLogger<MigrationRunner>.Instance);

    [Fact]
    public void Embedded_migrations_are_numbered_from_one_without_gaps()
    {
        Assert.NotEmpty(MigrationRunner.Embedded);
        Assert.Equal(Enumerable.Range(1, MigrationRunner.Embedded.Count), MigrationRunner.Embedded.Select(m => m.Version));
    }

    [Fact]
    public void A_fresh_database_is_brought_to_the_newest_version()
    {
        var version = Runner().Migrate();

        Assert.Equal(Newest, version);
        Assert.Equal(Newest, _database.Scalar("SELECT MAX(version) FROM schema_version"));
        Assert.Equal(MigrationRunner.Embedded.Count, _database.Count("schema_version"));
        foreach (var table in new[] { "teams", "users", "api_keys", "models", "model_versions", "reference_rows", "predictions", "labels", "operational_samples", "cost_records", "model_stats", "aggregate_blobs" })
            Assert.Equal(1, _database.Scalar("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = @table", new { table }));
        Assert.Equal(0, _database.Scalar("SELECT COUNT(*) FROM sqlite_master WHERE name = 'feature_quality_minute'")); // dropped by 0010: nothing read it
    }

    [Fact]
    public void A_new_database_gives_freed_pages_back_incrementally()
    {
        Runner().Migrate();

        Assert.Equal(2, _database.Scalar("PRAGMA auto_vacuum")); // 2 = INCREMENTAL: the raw-event pruner runs incremental_vacuum
    }

    [Fact]
    public void A_database_made_without_auto_vacuum_keeps_its_mode_when_migrated()
    {
        using (var connection = _database.OpenRaw())
            connection.Execute("CREATE TABLE made_by_an_older_build (x INTEGER)"); // a table exists: the mode can no longer change without a VACUUM

        Runner().Migrate();

        Assert.Equal(0, _database.Scalar("PRAGMA auto_vacuum"));
    }

    [Fact]
    public void Migrating_twice_is_a_no_op_that_keeps_the_data()
    {
        Runner().Migrate();
        using (var connection = _database.Connections.Open())
            connection.Execute("INSERT INTO teams (id, name, created_at) VALUES ('payments-risk', 'Payments Risk', 1)");
        var appliedAt = _database.Scalar("SELECT applied_at FROM schema_version WHERE version = 1");
        _clock.Advance(TimeSpan.FromDays(1));

        var version = Runner().Migrate();

        Assert.Equal(Newest, version);
        Assert.Equal(MigrationRunner.Embedded.Count, _database.Count("schema_version"));
        Assert.Equal(appliedAt, _database.Scalar("SELECT applied_at FROM schema_version WHERE version = 1"));
        Assert.Equal(1, _database.Count("teams"));
    }

    [Fact]
    public void A_database_newer_than_the_code_is_refused_with_both_versions_named()
    {
        Runner().Migrate();
        var future = Newest + 41;
        using (var connection = _database.Connections.Open())
            connection.Execute("INSERT INTO schema_version (version, name, applied_at) VALUES (@future, 'from_the_future', 0)", new { future });

        var refused = Assert.Throws<SchemaTooNewException>(() => Runner().Migrate());

        Assert.Contains($"schema version {future}", refused.Message);
        Assert.Contains($"up to version {Newest}", refused.Message);
        Assert.Contains(_database.Path, refused.Message);
    }

    [Fact]
    public void Connections_use_WAL_with_foreign_keys_on_and_the_configured_synchronous_mode()
    {
        Runner().Migrate();
        using var connection = _database.Connections.Open();

        Assert.Equal("wal", connection.ExecuteScalar<string>("PRAGMA journal_mode"));
        Assert.Equal(1, connection.ExecuteScalar<long>("PRAGMA foreign_keys"));
        Assert.Equal(1, connection.ExecuteScalar<long>("PRAGMA synchronous")); // NORMAL
        Assert.True(connection.ExecuteScalar<long>("PRAGMA busy_timeout") > 0);
        // Foreign keys are enforced, not only declared.
        Assert.Throws<Microsoft.Data.Sqlite.SqliteException>(() =>
            connection.Execute("INSERT INTO model_versions (model_pk, version, created_at) VALUES (999, '1.0.0', 0)"));
    }

    [Fact]
    public void Synchronous_FULL_can_be_configured()
    {
        using var database = new TempDatabase(synchronous: "FULL");
        using var connection = database.Connections.Open();

        Assert.Equal(2, connection.ExecuteScalar<long>("PRAGMA synchronous"));
    }

    [Fact]
    public void Migrating_from_the_previous_version_to_the_newest_keeps_the_rows_already_there()
    {
        var previous = Newest - 1;
        Assert.Equal(previous, Runner().MigrateTo(previous));
        Assert.Equal(previous, _database.Scalar("SELECT COALESCE(MAX(version), 0) FROM schema_version"));
        SeedInShapeOf(previous);

        Assert.Equal(Newest, Runner().Migrate());

        AssertSeededRowsSurvived(previous);
    }

    // Seeds rows the way version N−1 stored them. With one migration, N−1 is the empty database: only an operator's
    // own table exists, and it must survive. When 0002 lands, add a case that seeds registry and event rows at 0001.
    private void SeedInShapeOf(int version)
    {
        using var connection = _database.Connections.Open();
        switch (version)
        {
            case 0:
                Assert.Equal(0, connection.ExecuteScalar<long>("SELECT COUNT(*) FROM sqlite_master WHERE name = 'teams'"));
                connection.Execute("CREATE TABLE operator_notes (note TEXT NOT NULL); INSERT INTO operator_notes VALUES ('kept across upgrades');");
                break;
            default:
                connection.Execute("INSERT INTO teams (id, name, created_at) VALUES ('payments-risk', 'Payments Risk', 1)");
                break;
        }
    }

    private void AssertSeededRowsSurvived(int version)
    {
        using var connection = _database.Connections.Open();
        if (version == 0)
            Assert.Equal("kept across upgrades", connection.ExecuteScalar<string>("SELECT note FROM operator_notes"));
        else
            Assert.Equal("Payments Risk", connection.ExecuteScalar<string>("SELECT name FROM teams WHERE id = 'payments-risk'"));
    }

    public void Dispose() => _database.Dispose();
}
