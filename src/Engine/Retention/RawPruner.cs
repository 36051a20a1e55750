using Microsoft.Extensions.Logging;
using ModelWatch.Engine.Ingestion;
using ModelWatch.Engine.Storage;

namespace ModelWatch.Engine.Retention;

/// <summary>What one pruning round deleted, and the file pages it gave back.</summary>
public sealed record RawPruneReport(long Predictions, long Samples, long Costs, long TooLateLabels, long PagesFreed)
{
    public static readonly RawPruneReport None = new(0, 0, 0, 0, 0);

    public long Rows => Predictions + Samples + Costs + TooLateLabels;
}

/// <summary>
/// Raw-event retention (<c>Portal:Retention:RawEventDays</c>, <c>UnmatchedLabelDays</c>): one round deletes, in batches of
/// <c>BatchRows</c> through the single writer so ingestion interleaves, every model's predictions (with their labels),
/// operational samples and cost records older than the raw retention and already in the stored tiers, then the labels
/// that waited too long for their prediction (counted as too late), then gives the freed pages back to the file system.
/// After each batch it pauses five times as long as the batch took to commit (queueing included), so it holds the writer
/// at most a sixth of the time and backs off further while ingestion keeps the writer busy.
/// </summary>
internal sealed class RawPruner(SqliteConnectionFactory connections, RetentionOptions options, TimeProvider clock, ILogger logger)
{
    // 2,048 pages of 4 KB: 8 MB per writer command, so a large give-back never holds the writer long.
    private const int VacuumPagesPerStep = 2_048;

    private const double PauseFactor = 5;
    private static readonly TimeSpan LongestPause = TimeSpan.FromSeconds(1);

    private bool _vacuumChecked;
    private bool _canGiveBack;

    /// <summary>
    /// Runs one round; <paramref name="submit"/> runs a command on the writer and says whether it committed. A refused
    /// command (writer stopping, disk full) ends the round: the next one starts over.
    /// </summary>
    public RawPruneReport Prune(Windows.Watermark persisted, Func<WriteCommand, bool> submit)
    {
        var refused = false;
        bool Paced(WriteCommand command)
        {
            if (refused) return false;
            var took = System.Diagnostics.Stopwatch.StartNew();
            refused = !submit(command);
            var pause = took.Elapsed * PauseFactor;
            if (!refused) Thread.Sleep(pause < LongestPause ? pause : LongestPause);
            return !refused;
        }

        var started = System.Diagnostics.Stopwatch.StartNew();
        var now = clock.GetUtcNow();
        var rawBefore = now.AddDays(-options.RawEventDays).ToUnixTimeMilliseconds();
        var labelsBefore = now.AddDays(-options.UnmatchedLabelDays).ToUnixTimeMilliseconds();
        IReadOnlyList<long> models;
        using (var connection = connections.Open())
        {
            models = RawRetentionStore.Models(connection);
            CheckAutoVacuum(connection);
        }

        var deleted = new long[3];
        foreach (var modelPk in models)
            foreach (var table in new[] { RawTable.Predictions, RawTable.Samples, RawTable.Costs })
                while (true)
                {
                    var batch = new RawEventPrune(table, modelPk, rawBefore, persisted, options.BatchRows);
                    if (!Paced(batch)) break;
                    deleted[(int)table] += batch.Deleted;
                    if (batch.Deleted < options.BatchRows) break;
                }

        long tooLate = 0;
        while (true)
        {
            var batch = new TooLateLabelPrune(labelsBefore, options.BatchRows);
            if (!Paced(batch)) break;
            tooLate += batch.Deleted;
            if (batch.Examined < options.BatchRows) break;
        }

        var report = new RawPruneReport(deleted[0], deleted[1], deleted[2], tooLate, refused ? 0 : GiveBack(Paced));
        if (report.Rows > 0)
            logger.LogInformation("Raw retention deleted {Predictions} predictions, {Samples} samples, {Costs} cost records and {TooLate} labels that came too late; {Pages} pages given back; {Ms} ms",
                report.Predictions, report.Samples, report.Costs, report.TooLateLabels, report.PagesFreed, started.ElapsedMilliseconds);
        return report;
    }

    /// <summary>Frees the pages the deletes left, a step at a time, while the database was made with auto_vacuum=INCREMENTAL.</summary>
    private long GiveBack(Func<WriteCommand, bool> submit)
    {
        if (!_canGiveBack) return 0;
        long before;
        using (var connection = connections.Open()) before = RawRetentionStore.FreePages(connection);
        var left = before;
        while (left > 0)
        {
            var step = new IncrementalVacuum(VacuumPagesPerStep);
            if (!submit(step) || step.FreeAfter >= left) break;
            left = step.FreeAfter;
        }
        return before - left;
    }

    private void CheckAutoVacuum(Microsoft.Data.Sqlite.SqliteConnection connection)
    {
        if (_vacuumChecked) return;
        _vacuumChecked = true;
        _canGiveBack = RawRetentionStore.AutoVacuum(connection) == 2;
        if (!_canGiveBack)
            logger.LogWarning("The database was made without auto_vacuum=INCREMENTAL: retention deletes rows and SQLite reuses their pages, but the file never shrinks. " +
                              "To switch, stop the portal and run once: sqlite3 <database> 'PRAGMA auto_vacuum=INCREMENTAL; VACUUM;'");
    }
}
