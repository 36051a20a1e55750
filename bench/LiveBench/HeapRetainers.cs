using Microsoft.Diagnostics.Runtime;

namespace ModelWatch.LiveBench;

/// <summary>
/// Why objects of one type stay alive: for a few instances, the chain of objects that refer to them, back to a GC
/// root. Run in a child process like the histogram (the debugger library runs the target's DAC in-process).
/// </summary>
public static class HeapRetainers
{
    public static int Write(int pid, string typeName, string file)
    {
        using var target = DataTarget.AttachToProcess(pid, suspend: true);
        using var runtime = target.ClrVersions[0].CreateRuntime();
        var heap = runtime.Heap;

        // One referrer per object is enough to name a path; the map covers the whole heap once.
        var referrer = new Dictionary<ulong, ulong>();
        var samples = new List<ulong>();
        foreach (var o in heap.EnumerateObjects())
        {
            if (!o.IsValid || o.IsFree) continue;
            if (o.Type?.Name == typeName && samples.Count < 400) samples.Add(o.Address);
            foreach (var child in o.EnumerateReferenceAddresses(carefully: true))
                referrer.TryAdd(child, o.Address);
        }
        var roots = new Dictionary<ulong, string>();
        foreach (var root in heap.EnumerateRoots())
            roots.TryAdd(root.Object.Address, root.RootKind.ToString());

        // Group the chains by their shape so a few hundred samples print as a handful of lines.
        var chains = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var address in samples)
        {
            var steps = new List<string>();
            var seen = new HashSet<ulong>();
            var current = address;
            for (var depth = 0; depth < 40 && seen.Add(current); depth++)
            {
                steps.Add(heap.GetObjectType(current)?.Name ?? "?");
                if (roots.TryGetValue(current, out var kind)) { steps.Add($"[root: {kind}]"); break; }
                if (!referrer.TryGetValue(current, out current)) { steps.Add("[no referrer found]"); break; }
            }
            var chain = string.Join("\n    <- ", steps);
            chains[chain] = chains.GetValueOrDefault(chain) + 1;
        }
        File.WriteAllLines(file, chains.OrderByDescending(c => c.Value).Take(8).Select(c => $"{c.Value} of {samples.Count} sampled:\n    {c.Key}\n"));
        return 0;
    }
}
