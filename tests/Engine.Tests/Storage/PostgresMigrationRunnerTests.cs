using Dapper;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using ModelWatch.Engine.Storage;
using ModelWatch.Engine.Storage.Postgres;
using ModelWatch.Engine.Tests.TestSupport;

namespace ModelWatch.Engine.Tests.Storage;

public sealed class PostgresMigrationRunnerTests : IDisposable
{
    private readonly TempPostgresDatabase _database = new();
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero));

    [Fact]
    public void Embedded_postgres_migrations_are_numbered_from_one_and_kept_apart_from_the_sqlite_ones()
    {
        Assert.NotEmpty(PostgresMigrationRunner.Embedded);
        Assert.Equal(Enumerable.Range(1, PostgresMigrationRunner.Embedded.Count), PostgresMigrationRunner.Embedded.Select(m => m.Version));
        Assert.DoesNotContain(MigrationRunner.Embedded, m => m.Sql.Contains("plpgsql", StringComparison.Ordinal));
        Assert.Contains(PostgresMigrationRunner.Embedded, m => m.Sql.Contains("CREATE TABLE audit_log", StringComparison.Ordinal));
    }

    [Fact]
    public void A_fresh_database_gets_the_audit_tables_and_a_second_run_changes_nothing()
    {
        var version = _database.Runner(_clock).Migrate();
        _clock.Advance(TimeSpan.FromDays(1));
        var again = _database.Runner(_clock).Migrate();

        Assert.Equal(PostgresMigrationRunner.Embedded[^1].Version, version);
        Assert.Equal(version, again);
        Assert.Equal(PostgresMigrationRunner.Embedded.Count, _database.Scalar("SELECT COUNT(*) FROM schema_version"));
        Assert.Equal(0, _database.Scalar("SELECT seq FROM audit_head WHERE id = 1"));
        // The second run applied nothing: every journal row carries the first run's time.
        Assert.Equal(0, _database.Scalar("SELECT COUNT(*) FROM schema_version WHERE applied_at <> @at", new { at = new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds() }));
    }

    [Fact]
    public async Task Two_nodes_starting_together_apply_each_migration_exactly_once()
    {
        // Slow migrations that are not idempotent: without the advisory lock both nodes would run them and one would fail.
        var slow = new List<Migration>
        {
            new(1, "counter", "CREATE TABLE applied (name TEXT NOT NULL); SELECT pg_sleep(0.3); INSERT INTO applied VALUES ('first');"),
            new(2, "second", "SELECT pg_sleep(0.3); INSERT INTO applied VALUES ('second'); CREATE TABLE second_table (id INTEGER);"),
        };
        using var start = new Barrier(2);
        int Node(PostgresConnectionFactory factory)
        {
            var runner = new PostgresMigrationRunner(factory, _clock, NullLogger<PostgresMigrationRunner>.Instance) { Migrations = slow };
            start.SignalAndWait();
            return runner.Migrate();
        }
        var nodes = new[] { _database.NewFactory(), _database.NewFactory() }
            .Select(f => Task.Factory.StartNew(() => Node(f), TaskCreationOptions.LongRunning)).ToArray();

        var versions = await Task.WhenAll(nodes).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal([2, 2], versions);
        Assert.Equal(2, _database.Scalar("SELECT COUNT(*) FROM schema_version"));
        Assert.Equal(2, _database.Scalar("SELECT COUNT(*) FROM applied"));
        Assert.Equal(1, _database.Scalar("SELECT COUNT(*) FROM applied WHERE name = 'first'"));
    }

    [Fact]
    public void A_database_newer_than_the_code_is_refused_with_both_versions_named()
    {
        _database.Runner(_clock).Migrate();
        using (var connection = _database.OpenRaw())
            connection.Execute("INSERT INTO schema_version (version, name, applied_at) VALUES (99, 'from_the_future', 0)");

        var error = Assert.Throws<SchemaTooNewException>(() => _database.Runner(_clock).Migrate());

        Assert.Contains("schema version 99", error.Message);
        Assert.Contains($"up to version {PostgresMigrationRunner.Embedded[^1].Version}", error.Message);
    }

    public void Dispose() => _database.Dispose();
}
