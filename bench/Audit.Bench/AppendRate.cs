using System.Diagnostics;
using ModelWatch.Engine.Audit;

namespace ModelWatch.Audit.Bench;

/// <summary>Appends from several nodes (each its own pool and AuditLog) and writers per node at once; prints rate and latency, then verifies.</summary>
internal static class AppendRate
{
    public static async Task RunAsync(BenchDatabase database, int appends, int nodes, int writersPerNode)
    {
        var logs = Enumerable.Range(0, nodes).Select(n => new AuditLog(n == 0 ? database.Connections : database.NewNode(), TimeProvider.System)).ToArray();
        // Warm-up: pools, JIT, prepared plans.
        foreach (var log in logs) for (var i = 0; i < 20; i++) log.Append(Entry("warm-up", i));

        var perWriter = appends / (nodes * writersPerNode);
        var latencies = new double[nodes * writersPerNode][];
        using var start = new Barrier(nodes * writersPerNode + 1);
        var writers = Enumerable.Range(0, nodes * writersPerNode).Select(w => Task.Factory.StartNew(() =>
        {
            var log = logs[w % nodes];
            var mine = latencies[w] = new double[perWriter];
            start.SignalAndWait();
            for (var i = 0; i < perWriter; i++)
            {
                var t = Stopwatch.GetTimestamp();
                log.Append(Entry($"node{w % nodes}-writer{w}", i));
                mine[i] = Stopwatch.GetElapsedTime(t).TotalMilliseconds;
            }
        }, TaskCreationOptions.LongRunning)).ToArray();
        start.SignalAndWait();
        var watch = Stopwatch.StartNew();
        await Task.WhenAll(writers);
        watch.Stop();

        var all = latencies.SelectMany(l => l).Order().ToArray();
        var total = perWriter * nodes * writersPerNode;
        Console.WriteLine($"{database.Connections.Provider}: {total:N0} appends from {nodes} node(s) x {writersPerNode} writer(s) in {watch.Elapsed.TotalSeconds:F2} s = " +
                          $"{total / watch.Elapsed.TotalSeconds:N0} appends/s; latency p50 {all[all.Length / 2]:F2} ms, p99 {all[(int)(all.Length * 0.99)]:F2} ms");
        var verify = Stopwatch.StartNew();
        var result = logs[^1].Verify();
        Console.WriteLine($"verify on the last node: {(result.Valid ? "valid" : "BROKEN: " + result.Reason)}, {result.Entries:N0} entries, {verify.Elapsed.TotalMilliseconds:F0} ms");
        if (!result.Valid || result.Entries != total + 20 * nodes) throw new InvalidOperationException("the chain is not what was appended");
    }

    private static NewAuditEntry Entry(string actor, int i) =>
        new($"user:{actor}", AuditActions.AliasRequested, "payments-risk", "fraud-detector", $"1.{i % 40}.0",
            Before: new { alias = "production", version = $"1.{(i + 39) % 40}.0" }, After: new { alias = "production", version = $"1.{i % 40}.0", request = i },
            Reason: i % 4 == 0 ? "retrained on November data, AUC +0.012" : null);
}
