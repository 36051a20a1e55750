using System.Globalization;

namespace ModelWatch.LiveBench;

/// <summary>What the shared box was doing, and a process's memory as the kernel counts it (Linux /proc).</summary>
public static class Machine
{
    public static string LoadAverage()
    {
        try { return string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)); }
        catch (IOException) { return "?"; }
    }

    public static string Describe()
    {
        string model = "?";
        try { model = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "?"; }
        catch (IOException) { }
        var memory = ProcStatus("/proc/meminfo", "MemTotal") / 1024.0 / 1024.0;
        return string.Create(CultureInfo.InvariantCulture, $"{Environment.ProcessorCount} cores, {model}, {memory:0.0} GiB, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}, .NET {Environment.Version}");
    }

    /// <summary>Resident set and its anonymous part (heaps, stacks: what the process itself allocated), in bytes.</summary>
    public static (long Rss, long Anonymous) Memory(int pid) =>
        (ProcStatus($"/proc/{pid}/status", "VmRSS") * 1024, ProcStatus($"/proc/{pid}/status", "RssAnon") * 1024);

    private static long ProcStatus(string file, string field)
    {
        foreach (var line in File.ReadLines(file))
            if (line.StartsWith(field + ":", StringComparison.Ordinal))
                return long.Parse(line[(field.Length + 1)..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
        return 0;
    }
}
