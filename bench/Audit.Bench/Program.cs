using System.Diagnostics;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using ModelWatch.Engine.Audit;
using ModelWatch.Engine.Storage;

// dotnet run -c Release --project bench/Audit.Bench -- [--entries 1000000] [--runs 3]
// Seeds a temp database with a real hash chain, then times Verify and a CSV export, sampling memory during the export.
var entries = ArgValue("--entries", 1_000_000);
var runs = ArgValue("--runs", 3);
var path = Path.Combine(Path.GetTempPath(), $"audit-bench-{Guid.NewGuid():N}.db");
var connections = new SqliteConnectionFactory(Options.Create(new StorageOptions { ConnectionString = $"Data Source={path}" }));
new MigrationRunner(connections, TimeProvider.System, NullLogger<MigrationRunner>.Instance).Migrate();
var log = new AuditLog(connections, TimeProvider.System);

try
{
    var seed = Stopwatch.StartNew();
    Seed(connections, entries);
    Console.WriteLine($"seeded {entries:N0} entries in {seed.Elapsed.TotalSeconds:F2} s; database {new FileInfo(path).Length / 1048576.0:F0} MiB");

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
    foreach (var f in new[] { path, path + "-wal", path + "-shm" }) File.Delete(f);
}

int ArgValue(string name, int fallback)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
}

// One transaction, one prepared command: entries shaped like real ones (an alias request with before/after JSON).
static void Seed(SqliteConnectionFactory connections, int count)
{
    using var connection = connections.Open();
    using var transaction = connection.BeginTransaction();
    using var insert = connection.CreateCommand();
    insert.Transaction = transaction;
    insert.CommandText = """
        INSERT INTO audit_log (seq, at, actor, action, subject_team, subject_model, subject_version, before, after, reason, prev_hash, hash)
        VALUES ($seq, $at, $actor, $action, $team, $model, $version, $before, $after, $reason, $prev, $hash)
        """;
    var p = new[] { "$seq", "$at", "$actor", "$action", "$team", "$model", "$version", "$before", "$after", "$reason", "$prev", "$hash" }
        .Select(name => insert.Parameters.Add(name, SqliteType.Text)).ToArray();
    p[0].SqliteType = p[1].SqliteType = SqliteType.Integer;
    insert.Prepare();

    var prev = AuditCanonical.GenesisHash;
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
        object?[] values = [seq, at.ToUnixTimeMilliseconds(), actor, action, team, model, version, before, after, reason, prev, hash];
        for (var i = 0; i < values.Length; i++) p[i].Value = values[i] ?? DBNull.Value;
        insert.ExecuteNonQuery();
        prev = hash;
    }
    using var head = connection.CreateCommand();
    head.Transaction = transaction;
    head.CommandText = "UPDATE audit_head SET seq = $seq, hash = $hash WHERE id = 1";
    head.Parameters.AddWithValue("$seq", count);
    head.Parameters.AddWithValue("$hash", prev);
    head.ExecuteNonQuery();
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
