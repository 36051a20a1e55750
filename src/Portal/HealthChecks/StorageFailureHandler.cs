using Microsoft.AspNetCore.Diagnostics;
using Microsoft.Data.Sqlite;
using ModelWatch.Engine;
using ModelWatch.Engine.Storage;

namespace ModelWatch.Portal.HealthChecks;

/// <summary>
/// A write the disk refused (full, read-only, I/O error) is the server's storage, not a bug: answer 503 with
/// Retry-After and mark the portal not ready, instead of a bare 500.
/// </summary>
public sealed class StorageFailureHandler(EngineHealth health, ILogger<StorageFailureHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        var sqlite = exception as SqliteException ?? exception.InnerException as SqliteException;
        if (sqlite is null || !(StorageErrors.IsStorageFailure(sqlite) || StorageErrors.IsBusy(sqlite))) return false;
        var reason = StorageErrors.Describe(sqlite);
        if (StorageErrors.IsStorageFailure(sqlite)) health.RecordWriteFailed(reason);
        logger.LogError(exception, "A request failed because {Reason}", reason);
        context.Response.Headers.RetryAfter = "5";
        await Problems.Write(context, StatusCodes.Status503ServiceUnavailable, "Storage unavailable",
            $"Nothing was changed: {reason}. Retry later; an operator must free disk space or fix the file system if this persists.");
        return true;
    }
}
