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

    /// <summary>Objects on the heap by type: count and shallow bytes. Run right after <see cref="CollectAsync"/> so they are live.</summary>
    public static Dictionary<string, (long Count, long Bytes)> Histogram(int pid)
    {
        using var target = DataTarget.AttachToProcess(pid, suspend: true);
        using var runtime = target.ClrVersions[0].CreateRuntime();
        var types = new Dictionary<string, (long Count, long Bytes)>(StringComparer.Ordinal);
        foreach (var o in runtime.Heap.EnumerateObjects())
        {
            if (!o.IsValid || o.IsFree) continue;
            var name = o.Type?.Name ?? "?";
            types.TryGetValue(name, out var t);
            types[name] = (t.Count + 1, t.Bytes + (long)o.Size);
        }
        return types;
    }
}
