using Dapper;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using ModelWatch.Engine.Storage;
using ModelWatch.Engine.Tests.TestSupport;

namespace ModelWatch.Engine.Tests.Audit;

/// <summary>The audit contract on SQLite; a second node is a second connection factory on the same file.</summary>
public sealed class SqliteAuditStoreTests : AuditStoreContract
{
    private readonly TempDatabase _database = new();

    public SqliteAuditStoreTests() => new MigrationRunner(_database.Connections, Clock, NullLogger<MigrationRunner>.Instance).Migrate();

    protected override IConnectionFactory Connections => _database.Connections;

    protected override IConnectionFactory SecondNode() =>
        new SqliteConnectionFactory(Options.Create(new StorageOptions { ConnectionString = _database.ConnectionString, Synchronous = "NORMAL" }));

    protected override void Tamper(string sql)
    {
        using var connection = _database.OpenRaw();
        connection.Execute("DROP TRIGGER audit_log_refuses_update; DROP TRIGGER audit_log_refuses_delete; DROP TRIGGER audit_head_only_moves_forward;");
        connection.Execute(sql);
    }

    public override void Dispose() => _database.Dispose();
}
