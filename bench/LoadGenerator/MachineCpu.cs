using System.Globalization;

namespace ModelWatch.LoadGenerator;

/// <summary>
/// Busy CPU time of the whole machine from /proc/stat (Linux), so a run can show how much CPU other processes took:
/// on a shared 2-core box a neighbour's build halves the figures.
/// </summary>
public static class MachineCpu
{
    public static TimeSpan? BusyTime()
    {
        try
        {
            using var reader = new StreamReader("/proc/stat");
            var fields = reader.ReadLine()!.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields[0] != "cpu") return null;
            long total = 0, idle = 0;
            for (var i = 1; i < fields.Length && i <= 8; i++)
            {
                var jiffies = long.Parse(fields[i], CultureInfo.InvariantCulture);
                total += jiffies;
                if (i is 4 or 5) idle += jiffies; // idle, iowait
            }
            return TimeSpan.FromSeconds((total - idle) / 100.0); // USER_HZ is 100 on Linux
        }
        catch (IOException) { return null; }
        catch (UnauthorizedAccessException) { return null; }
    }
}
