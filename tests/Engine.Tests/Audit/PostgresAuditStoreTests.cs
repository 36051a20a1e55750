using Dapper;
using ModelWatch.Engine.Storage;
using ModelWatch.Engine.Tests.TestSupport;

namespace ModelWatch.Engine.Tests.Audit;

/// <summary>The audit contract on PostgreSQL (MODELWATCH_TEST_POSTGRES); a second node is a second pool on the same database.</summary>
public sealed class PostgresAuditStoreTests : AuditStoreContract
{
    private readonly TempPostgresDatabase _database = new();

    public PostgresAuditStoreTests() => _database.Runner(Clock).Migrate();

    protected override IConnectionFactory Connections => _database.Connections;

    protected override IConnectionFactory SecondNode() => _database.NewFactory();

    protected override void Tamper(string sql)
    {
        using var connection = _database.OpenRaw();
        connection.Execute("ALTER TABLE audit_log DISABLE TRIGGER USER; ALTER TABLE audit_head DISABLE TRIGGER USER;");
        connection.Execute(sql);
    }

    public override void Dispose() => _database.Dispose();
}
