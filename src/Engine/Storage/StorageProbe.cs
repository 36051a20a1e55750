using Dapper;
using Microsoft.Data.Sqlite;

namespace ModelWatch.Engine.Storage;

/// <summary>
/// A real write that needs new pages, used after a failed write to find out whether storage works again, so the portal
/// becomes ready by itself once space is freed even when no client is sending. It asks for 256 KB, more than a typical
/// batch, so a database with room for a tiny probe but not for the batch that failed stays not ready.
/// </summary>
public sealed class StorageProbe(SqliteConnectionFactory connections, EngineHealth health)
{
    private const string InsertAndDelete = """
        INSERT INTO health_probe (padding) VALUES (zeroblob(262144));
        DELETE FROM health_probe;
        """;

    /// <returns>null when the write committed; otherwise why it failed.</returns>
    public string? TryWrite()
    {
        try
        {
            using var connection = connections.Open();
            using var transaction = connection.BeginTransaction();
            connection.Execute(InsertAndDelete, transaction: transaction);
            transaction.Commit();
            health.RecordWriteSucceeded();
            return null;
        }
        catch (SqliteException e)
        {
            var reason = StorageErrors.Describe(e);
            health.RecordWriteFailed(reason);
            return reason;
        }
    }
}
