using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ModelWatch.Engine.Storage;

namespace ModelWatch.Engine.Ingestion;

/// <summary>
/// The only writer of event rows. Runs on its own thread (Microsoft.Data.Sqlite's async calls are synchronous anyway)
/// and folds every waiting batch into one transaction: group commit. A batch's task completes after the commit.
/// </summary>
public sealed class IngestionWriter : IHostedService, IDisposable
{
    private readonly Channel<WriteCommand> _queue;
    private readonly SqliteConnectionFactory _connections;
    private readonly IEnumerable<IIngestionObserver> _observers;
    private readonly EngineHealth _health;
    private readonly ILogger<IngestionWriter> _logger;
    private readonly int _maxRowsPerCommit;
    private Thread? _thread;

    public IngestionWriter(SqliteConnectionFactory connections, IOptions<IngestionOptions> options, IEnumerable<IIngestionObserver> observers, EngineHealth health, ILogger<IngestionWriter> logger)
    {
        _connections = connections;
        _observers = observers;
        _health = health;
        _logger = logger;
        _maxRowsPerCommit = options.Value.MaxRowsPerCommit;
        _queue = Channel.CreateBounded<WriteCommand>(new BoundedChannelOptions(options.Value.QueueCapacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait, // TryWrite fails when full; nothing is ever dropped
        });
    }

    /// <summary>Hands a command to the writer; false when the queue is full (the caller answers 429) or closed.</summary>
    internal bool TryEnqueue(WriteCommand command) => _queue.Writer.TryWrite(command);

    public bool IsRunning => _thread is { IsAlive: true };

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _thread = new Thread(Run) { IsBackground = true, Name = "ingestion-writer" };
        _thread.Start();
        _health.MarkWriterRunning(true);
        return Task.CompletedTask;
    }

    /// <summary>Stops taking new work and commits everything already accepted into the queue.</summary>
    public Task StopAsync(CancellationToken cancellationToken)
    {
        _queue.Writer.TryComplete();
        var thread = _thread;
        if (thread is null) return Task.CompletedTask;
        return Task.Run(() =>
        {
            while (!thread.Join(100))
            {
                if (cancellationToken.IsCancellationRequested)
                {
                    _logger.LogWarning("Host stop timed out while the ingestion writer was still committing.");
                    return;
                }
            }
        }, CancellationToken.None);
    }

    // Stored labels looked at per slice of the start-up scan: a few milliseconds between two commits.
    private const int LabelScanSlice = 2_000;

    private void Run()
    {
        try
        {
            using var connection = _connections.Open();
            TuneWriterConnection(connection);
            using var tables = new EventTables(connection);
            var pending = new List<WriteCommand>();
            var reader = _queue.Reader;
            while (true)
            {
                if (tables.ScanningLabels)
                {
                    // Until every label stored before this start is seen, a slice is scanned between commits.
                    tables.ScanLabels(LabelScanSlice);
                    if (!reader.TryPeek(out _))
                    {
                        if (reader.Completion.IsCompleted) break;
                        continue;
                    }
                }
                else if (!reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult()) break;
                pending.Clear();
                var rows = 0;
                while (rows < _maxRowsPerCommit && reader.TryRead(out var command))
                {
                    pending.Add(command);
                    rows += command.Rows;
                }
                Commit(connection, tables, pending);
            }
        }
        catch (Exception e)
        {
            _logger.LogCritical(e, "The ingestion writer stopped");
            _health.MarkFailed("the ingestion writer stopped: " + e.Message);
            FailQueued(e);
        }
        finally
        {
            _health.MarkWriterRunning(false);
        }
    }

    /// <summary>
    /// The writer touches the right-hand edges of the event indexes on every row: a 64 MB page cache keeps them in
    /// memory instead of re-reading them after SQLite's default 2 MB cache evicts them.
    /// </summary>
    private static void TuneWriterConnection(Microsoft.Data.Sqlite.SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA cache_size=-65536; PRAGMA temp_store=MEMORY;";
        command.ExecuteNonQuery();
    }

    private void Commit(Microsoft.Data.Sqlite.SqliteConnection connection, EventTables tables, List<WriteCommand> pending)
    {
        var receipts = new WriteReceipt?[pending.Count];
        var failures = new Exception?[pending.Count];
        var committed = new List<CommittedWrite>(pending.Count);
        try
        {
            using var transaction = connection.BeginTransaction();
            tables.Enlist(transaction);
            for (var i = 0; i < pending.Count; i++)
            {
                // A savepoint per batch: a batch that fails leaves the others in the transaction intact.
                transaction.Save("batch");
                try
                {
                    receipts[i] = pending[i].Apply(tables, out var write);
                    if (write is not null) committed.Add(write);
                    transaction.Release("batch");
                }
                catch (Microsoft.Data.Sqlite.SqliteException e)
                {
                    // On SQLITE_FULL (and some I/O errors) SQLite rolls the whole transaction back: fail every batch.
                    if (!TryRollbackBatch(transaction)) throw;
                    failures[i] = e;
                    _logger.LogError(e, "A {Command} for model {Model} failed and was rolled back", pending[i].GetType().Name, pending[i].Model.Id);
                }
            }
            transaction.Commit();
        }
        catch (Exception e)
        {
            _logger.LogError(e, "Commit of {Count} batches failed", pending.Count);
            _health.RecordWriteFailed(Describe(e));
            foreach (var command in pending) command.Completion.TrySetException(new StorageUnavailableException("The database could not commit the batch: " + Describe(e), e));
            return;
        }
        finally
        {
            tables.Enlist(null);
        }

        // Observers hear of the commit before any caller does: whoever waits for a batch and then asks the aggregates
        // (FlushAsync, a summary) finds the batch already queued there.
        if (committed.Count > 0)
        {
            var covered = tables.CurrentWatermark();
            Notify(committed.ConvertAll(w => w with { Covered = covered }));
        }
        for (var i = 0; i < pending.Count; i++)
        {
            if (failures[i] is { } failure) pending[i].Completion.TrySetException(new StorageUnavailableException("The database refused the batch: " + Describe(failure), failure));
            else pending[i].Completion.TrySetResult(receipts[i]!);
        }
        // Readiness follows the last write: a batch the disk refused makes the portal not ready, the next commit ready again.
        if (failures.OfType<Microsoft.Data.Sqlite.SqliteException>().FirstOrDefault(StorageErrors.IsStorageFailure) is { } refused) _health.RecordWriteFailed(StorageErrors.Describe(refused));
        else _health.RecordWriteSucceeded();
    }

    private static bool TryRollbackBatch(Microsoft.Data.Sqlite.SqliteTransaction transaction)
    {
        try
        {
            transaction.Rollback("batch");
            transaction.Release("batch");
            return true;
        }
        catch (InvalidOperationException)
        {
            return false; // the transaction is gone already
        }
    }

    private static string Describe(Exception e) => e is Microsoft.Data.Sqlite.SqliteException sqlite ? StorageErrors.Describe(sqlite) : e.Message;

    private void Notify(List<CommittedWrite> committed)
    {
        if (committed.Count == 0) return;
        foreach (var observer in _observers)
        {
            try { observer.OnCommitted(committed); }
            catch (Exception e) { _logger.LogError(e, "Observer {Observer} failed after a commit", observer.GetType().Name); }
        }
    }

    private void FailQueued(Exception cause)
    {
        _queue.Writer.TryComplete();
        while (_queue.Reader.TryRead(out var command))
            command.Completion.TrySetException(new StorageUnavailableException("The ingestion writer stopped: " + cause.Message, cause));
    }

    public void Dispose() => _queue.Writer.TryComplete();
}

/// <summary>The database could not store an accepted batch (disk full, file locked, writer stopped).</summary>
public sealed class StorageUnavailableException(string message, Exception? inner = null) : Exception(message, inner);
