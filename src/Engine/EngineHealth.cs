namespace ModelWatch.Engine;

/// <summary>What /healthz reports: the schema is migrated and the ingestion writer is running.</summary>
public sealed class EngineHealth
{
    private volatile bool _migrated;
    private volatile bool _writerRunning;
    private volatile string? _failure;

    public bool IsReady => _migrated && _writerRunning && _failure is null;
    public string Status => _failure ?? (!_migrated ? "migrations have not run yet" : !_writerRunning ? "the ingestion writer is not running" : "ready");

    public void MarkMigrated() => _migrated = true;
    public void MarkWriterRunning(bool running) => _writerRunning = running;
    public void MarkFailed(string reason) => _failure = reason;
}
