using System.Diagnostics;
using System.Globalization;
using Dapper;
using Microsoft.Data.Sqlite;
using ModelWatch.Audit.Bench;
using ModelWatch.Engine.Audit;
using ModelWatch.Engine.Storage;

// dotnet run -c Release --project bench/Audit.Bench -- [--provider sqlite|postgres] [--entries 1000000] [--runs 3]
// dotnet run -c Release --project bench/Audit.Bench -- [--provider sqlite|postgres] --appends 4000 [--nodes 2] [--writers 4]
// Seeds a temp database with a real hash chain, then times Verify and a CSV export, sampling memory during the export;
// or, with --appends, times AuditLog.Append from several nodes (connection pools) and writers at once.
// PostgreSQL: a temp database on the server of --postgres (default: $MODELWATCH_TEST_POSTGRES), dropped at the end.
var entries = ArgValue("--entries", 1_000_000);
var runs = ArgValue("--runs", 3);
await using var database = BenchDatabase.Create(ArgText("--provider", "sqlite"), ArgText("--postgres", Environment.GetEnvironmentVariable("MODELWATCH_TEST_POSTGRES") ?? ""));
var connections = database.Connections;
var log = new AuditLog(connections, TimeProvider.System);

if (args.Contains("--appends"))
{
    await AppendRate.RunAsync(database, ArgValue("--appends", 4_000), ArgValue("--nodes", 2), ArgValue("--writers", 4));
    return;
}

try
{
    var seed = Stopwatch.StartNew();
    Seed(connections, entries);
    Console.WriteLine($"seeded {entries:N0} entries in {seed.Elapsed.TotalSeconds:F2} s on {connections.Provider}; database {database.SizeBytes() / 1048576.0:F0} MiB");

    for (var run = 1; run <= runs; run++)
    {
        var watch = Stopwatch.StartNew();
        var result = log.Verify();
        watch.Stop();
        if (!result.Valid || result.Entries != entries) throw new InvalidOperationException($"verify failed: {result.Reason}");
        Console.WriteLine($"verify  run {run}: {watch.Elapsed.TotalSeconds:F2} s ({result.Entries:N0} entries, valid)");
    }

    for (var run = 1; run <= runs; run++)
    {
        var exportPath = Path.Combine(Path.GetTempPath(), $"audit-bench-{Guid.NewGuid():N}.csv");
        GC.Collect();
        var baseline = GC.GetTotalMemory(true);
        var allocatedBefore = GC.GetTotalAllocatedBytes(true);
        using var sampler = new MemorySampler();
        var watch = Stopwatch.StartNew();
        AuditExportManifest manifest;
        await using (var file = new FileStream(exportPath, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true))
            manifest = await log.ExportAsync(file, AuditFilter.All, AuditExportFormat.Csv);
        watch.Stop();
        var (peakHeap, peakWorkingSet) = sampler.Stop();
        Console.WriteLine($"export  run {run}: {watch.Elapsed.TotalSeconds:F2} s, {manifest.Entries:N0} entries, {manifest.BodyBytes / 1048576.0:F0} MiB CSV; " +
                          $"managed heap peak +{(peakHeap - baseline) / 1048576.0:F1} MiB over {baseline / 1048576.0:F1} MiB, working set peak {peakWorkingSet / 1048576.0:F0} MiB, " +
                          $"allocated {(GC.GetTotalAllocatedBytes(true) - allocatedBefore) / 1048576.0:F0} MiB in total (gen0 collections)");
        File.Delete(exportPath);
    }
}
finally
{
    SqliteConnection.ClearAllPools();
}

int ArgValue(string name, int fallback) => int.Parse(ArgText(name, fallback.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture);

string ArgText(string name, string fallback)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
}

// One transaction and the provider's bulk insert (binary COPY on PostgreSQL): entries shaped like real ones (an alias
// request with before/after JSON).
static void Seed(IConnectionFactory connections, int count)
{
    var table = new BulkTable("audit_log", new[] { "seq", "at", "actor", "action", "subject_team", "subject_model", "subject_version", "before", "after", "reason", "prev_hash", "hash" }
        .Select((name, i) => new BulkColumn(name, i < 2 ? BulkType.Int64 : BulkType.Text)).ToList());
    var prev = AuditCanonical.GenesisHash;
    IEnumerable<object?[]> Rows()
    {
        var start = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();
        for (long seq = 1; seq <= count; seq++)
        {
            var at = DateTimeOffset.FromUnixTimeMilliseconds(start + seq * 1_000);
            var actor = seq % 3 == 0 ? "user:omar" : "user:dana";
            const string action = "alias.requested";
            var team = seq % 2 == 0 ? "payments-risk" : "growth";
            var model = seq % 2 == 0 ? "fraud-detector" : "churn-classifier";
            var version = $"1.{seq % 40}.0";
            var before = seq % 5 == 0 ? null : $$"""{"alias":"production","version":"1.{{(seq - 1) % 40}}.0"}""";
            var after = $$"""{"alias":"production","version":"{{version}}","request":{{seq}}}""";
            var reason = seq % 4 == 0 ? "retrained on November data, AUC +0.012" : null;
            var hash = AuditCanonical.Hash(prev, seq, at, actor, action, team, model, version, before, after, reason);
            yield return [seq, at.ToUnixTimeMilliseconds(), actor, action, team, model, version, before, after, reason, prev, hash];
            prev = hash;
        }
    }
    using var connection = connections.Open();
    using var transaction = connections.Dialect.BeginWrite(connection);
    connections.Dialect.BulkInsert(connection, transaction, table, Rows());
    connection.Execute("UPDATE audit_head SET seq = @Seq, hash = @Hash WHERE id = 1", new { Seq = (long)count, Hash = prev }, transaction);
    transaction.Commit();
}

/// <summary>Samples the managed heap and the working set every 20 ms until stopped; returns the peaks.</summary>
sealed class MemorySampler : IDisposable
{
    private readonly Thread _thread;
    private volatile bool _stop;
    private long _peakHeap, _peakWorkingSet;

    public MemorySampler()
    {
        _thread = new Thread(() =>
        {
            using var process = Process.GetCurrentProcess();
            while (!_stop)
            {
                _peakHeap = Math.Max(_peakHeap, GC.GetTotalMemory(false));
                process.Refresh();
                _peakWorkingSet = Math.Max(_peakWorkingSet, process.WorkingSet64);
                Thread.Sleep(20);
            }
        }) { IsBackground = true };
        _thread.Start();
    }

    public (long PeakHeap, long PeakWorkingSet) Stop()
    {
        _stop = true;
        _thread.Join();
        return (_peakHeap, _peakWorkingSet);
    }

    public void Dispose() => Stop();
}
