using System.Diagnostics.Tracing;
using Microsoft.Diagnostics.NETCore.Client;
using Microsoft.Diagnostics.Runtime;
using Microsoft.Diagnostics.Tracing;
using Microsoft.Diagnostics.Tracing.Parsers;

namespace ModelWatch.LiveBench;

/// <summary>The portal's managed heap from outside: a full GC induced over EventPipe (as dotnet-gcdump does) and a walk of its objects.</summary>
public static class ServerHeap
{
    /// <summary>Induces a blocking gen-2 GC in the process and returns the heap size it left (all generations, LOH, POH), or null.</summary>
    public static async Task<long?> CollectAsync(int pid, TimeSpan limit)
    {
        var client = new DiagnosticsClient(pid);
        var keywords = (long)(ClrTraceEventParser.Keywords.GC | ClrTraceEventParser.Keywords.GCHeapCollect);
        using var session = client.StartEventPipeSession(new EventPipeProvider("Microsoft-Windows-DotNETRuntime", EventLevel.Informational, keywords), requestRundown: false);
        using var source = new EventPipeEventSource(session.EventStream);
        var after = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        var fullGcStarted = false;
        source.Clr.GCStart += e => { if (e.Depth == 2) fullGcStarted = true; };
        source.Clr.GCHeapStats += e => { if (fullGcStarted) after.TrySetResult(e.TotalHeapSize); };
        var processing = Task.Run(() => { try { source.Process(); } catch (Exception) { /* the session ended under us */ } });
        await Task.WhenAny(after.Task, Task.Delay(limit));
        try { await session.StopAsync(CancellationToken.None); } catch (Exception) { /* the process may be gone */ }
        await Task.WhenAny(processing, Task.Delay(TimeSpan.FromSeconds(5)));
        return after.Task.IsCompletedSuccessfully ? after.Task.Result : null;
    }

    /// <summary>
    /// <see cref="Histogram"/> in a child process (this tool with --heap-walk): the debugger library runs the target's
    /// DAC in-process and has crashed the host before, which must not take the benchmark down with it.
    /// </summary>
    public static Dictionary<string, (long Count, long Bytes)>? HistogramInChildProcess(int pid, TimeSpan limit) =>
        InChildProcess(["--heap-walk", pid.ToString(System.Globalization.CultureInfo.InvariantCulture)], pid, limit, file =>
            File.ReadLines(file).Select(l => l.Split('\t')).ToDictionary(f => f[0], f => (long.Parse(f[1], System.Globalization.CultureInfo.InvariantCulture), long.Parse(f[2], System.Globalization.CultureInfo.InvariantCulture)), StringComparer.Ordinal));

    /// <summary><see cref="HeapRetainers"/> in a child process: the text it wrote, or null.</summary>
    public static string? RetainersInChildProcess(int pid, string typeName, TimeSpan limit) =>
        InChildProcess(["--retainer-walk", pid.ToString(System.Globalization.CultureInfo.InvariantCulture), typeName], pid, limit, File.ReadAllText);

    private static T? InChildProcess<T>(string[] arguments, int pid, TimeSpan limit, Func<string, T> read) where T : class
    {
        var file = Path.GetTempFileName();
        try
        {
            var start = new System.Diagnostics.ProcessStartInfo(Environment.ProcessPath!) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
            if (Path.GetFileNameWithoutExtension(Environment.ProcessPath!) == "dotnet") start.ArgumentList.Add(typeof(ServerHeap).Assembly.Location);
            foreach (var a in arguments.Append(file)) start.ArgumentList.Add(a);
            using var child = System.Diagnostics.Process.Start(start)!;
            var error = child.StandardError.ReadToEndAsync();
            if (!child.WaitForExit(limit)) { child.Kill(entireProcessTree: true); return null; }
            if (child.ExitCode != 0) { Console.Error.WriteLine($"  heap walk exited with {child.ExitCode}: {error.Result.Trim()}"); return null; }
            return read(file);
        }
        finally
        {
            File.Delete(file);
            // A walker that died while attached could leave the portal stopped; let it run on.
            using var resume = System.Diagnostics.Process.Start("kill", ["-CONT", pid.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            resume.WaitForExit();
        }
    }

    /// <summary>The child's side: walk the heap of <paramref name="pid"/> and write "type TAB count TAB bytes" lines.</summary>
    public static int WriteHistogram(int pid, string file)
    {
        var lines = Histogram(pid).Select(t => string.Join('\t', t.Key.Replace('\t', ' '), t.Value.Count, t.Value.Bytes));
        File.WriteAllLines(file, lines);
        return 0;
    }

    /// <summary>
    /// Objects reachable from a GC root, by type: count and shallow bytes. Unreachable objects are left out: a heap
    /// walk sees garbage allocated since the last GC (live panels allocate all the time), which is not what is held.
    /// </summary>
    public static Dictionary<string, (long Count, long Bytes)> Histogram(int pid)
    {
        using var target = DataTarget.AttachToProcess(pid, suspend: true);
        using var runtime = target.ClrVersions[0].CreateRuntime();
        var heap = runtime.Heap;
        var types = new Dictionary<string, (long Count, long Bytes)>(StringComparer.Ordinal);
        var seen = new HashSet<ulong>();
        var pending = new Stack<ulong>();
        foreach (var root in heap.EnumerateRoots())
            if (root.Object.Address != 0 && seen.Add(root.Object.Address)) pending.Push(root.Object.Address);
        while (pending.Count > 0)
        {
            var o = heap.GetObject(pending.Pop());
            if (!o.IsValid || o.IsFree) continue;
            var name = o.Type?.Name ?? "?";
            types.TryGetValue(name, out var t);
            types[name] = (t.Count + 1, t.Bytes + (long)o.Size);
            foreach (var child in o.EnumerateReferenceAddresses(carefully: true))
                if (child != 0 && seen.Add(child)) pending.Push(child);
        }
        return types;
    }
}
