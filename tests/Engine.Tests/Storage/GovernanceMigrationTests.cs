using Dapper;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using ModelWatch.Engine.Storage;
using ModelWatch.Engine.Tests.TestSupport;

namespace ModelWatch.Engine.Tests.Storage;

/// <summary>Sonarr style: migrate to 1, seed rows in the foundation's shape, migrate to 2, check the rows.</summary>
public sealed class GovernanceMigrationTests : IDisposable
{
    private readonly TempDatabase _database = new();
    private readonly FakeTimeProvider _clock = new(EngineHarness.Start);

    private MigrationRunner Runner() => new(_database.Connections, _clock, NullLogger<MigrationRunner>.Instance);

    [Fact]
    public void Foundation_rows_survive_the_governance_migration_with_empty_governance_state()
    {
        Assert.Equal(1, Runner().MigrateTo(1));
        using (var connection = _database.Connections.Open())
        {
            connection.Execute("""
                INSERT INTO teams (id, name, created_at) VALUES ('payments-risk', 'Payments Risk', 1);
                INSERT INTO models (pk, id, name, task, team_id, features, created_at) VALUES (7, 'fraud-detector', 'Fraud', 'binary-classification', 'payments-risk', '[]', 2);
                INSERT INTO model_versions (pk, model_pk, version, created_by, created_at) VALUES (70, 7, '1.0.0', 'user:dana', 3);
                INSERT INTO model_versions (pk, model_pk, version, created_by, created_at) VALUES (71, 7, '1.1.0', 'user:dana', 4);
                INSERT INTO reference_rows (version_pk, row_no, features, prediction_num) VALUES (70, 0, x'00', 0.2);
                """);
        }

        Assert.Equal(2, Runner().MigrateTo(2));

        using var check = _database.OpenRaw();
        var model = check.QuerySingle<(string Id, string Team, string? OnCall, string? Escalation)>("SELECT id, team_id, on_call, escalation FROM models WHERE pk = 7");
        Assert.Equal(("fraud-detector", "payments-risk", (string?)null, (string?)null), model);
        Assert.Equal(["1.0.0", "1.1.0"], check.Query<string>("SELECT version FROM model_versions WHERE model_pk = 7 AND archived_at IS NULL ORDER BY pk"));
        Assert.Equal(1, check.ExecuteScalar<long>("SELECT COUNT(*) FROM reference_rows WHERE version_pk = 70"));
        Assert.Equal(0, check.ExecuteScalar<long>("SELECT COUNT(*) FROM model_aliases"));
        Assert.Equal(0, check.ExecuteScalar<long>("SELECT COUNT(*) FROM alias_requests"));
        Assert.Equal(0, check.ExecuteScalar<long>("SELECT COUNT(*) FROM model_ownership_history"));
        Assert.Equal(0, check.ExecuteScalar<long>("SELECT COUNT(*) FROM audit_log"));
        Assert.Equal(0, check.ExecuteScalar<long>("SELECT seq FROM audit_head"));
    }

    public void Dispose() => _database.Dispose();
}
