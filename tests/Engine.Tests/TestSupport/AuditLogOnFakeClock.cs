using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using ModelWatch.Engine.Audit;
using ModelWatch.Engine.Storage;

namespace ModelWatch.Engine.Tests.TestSupport;

/// <summary>Base of the audit tests: a migrated database file of their own and an audit log on a fake clock.</summary>
public abstract class AuditLogOnFakeClock : IDisposable
{
    protected AuditLogOnFakeClock()
    {
        new MigrationRunner(Database.Connections, Clock, NullLogger<MigrationRunner>.Instance).Migrate();
        Log = new AuditLog(Database.Connections, Clock);
    }

    protected TempDatabase Database { get; } = new();
    protected FakeTimeProvider Clock { get; } = new(EngineHarness.Start);
    protected AuditLog Log { get; }

    public void Dispose()
    {
        Database.Dispose();
        GC.SuppressFinalize(this);
    }
}
