namespace ModelWatch.Engine;

/// <summary>
/// What the health endpoints report. Liveness: nothing fatal happened (a restart would help). Readiness: the schema is
/// migrated, the ingestion writer runs and the last write to the database succeeded. Add a state here to add a reason
/// the portal is not ready; <see cref="Status"/> names the first one that holds.
/// </summary>
public sealed class EngineHealth
{
    private volatile bool _migrated;
    private volatile bool _writerRunning;
    private volatile string? _failure;
    private volatile string? _lastWriteFailure;
    private volatile string? _starting;
    private double _upgradeProgress = -1;

    public bool IsAlive => _failure is null;
    public bool IsReady => _migrated && _writerRunning && _failure is null && _lastWriteFailure is null && _starting is null;

    /// <summary>What start-up still does (replaying the rows not yet in the aggregates); null once done.</summary>
    public string? Starting => _starting;

    /// <summary>Share of a pre-tier database's rows aggregated so far (0..1) while the one-off upgrade runs; null otherwise.</summary>
    public double? UpgradeProgress
    {
        get { var p = Volatile.Read(ref _upgradeProgress); return p < 0 ? null : p; }
    }

    public string Status => _failure
        ?? (!_migrated ? "migrations have not run yet"
        : !_writerRunning ? "the ingestion writer is not running"
        : _lastWriteFailure is { } write ? "the last write to the database failed: " + write
        : _starting is { } starting ? "starting: " + starting
        : "ready");

    /// <summary>Why the last write failed (disk full, read-only file system); null after a write succeeds.</summary>
    public string? LastWriteFailure => _lastWriteFailure;

    public void MarkMigrated() => _migrated = true;
    public void MarkWriterRunning(bool running) => _writerRunning = running;
    public void MarkFailed(string reason) => _failure = reason;
    public void MarkStarting(string? what) => _starting = what;
    public void MarkUpgrading(double? progress) => Volatile.Write(ref _upgradeProgress, progress ?? -1);

    public void RecordWriteFailed(string reason) => _lastWriteFailure = reason;

    public void RecordWriteSucceeded()
    {
        if (_lastWriteFailure is not null) _lastWriteFailure = null;
    }
}
