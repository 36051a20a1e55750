namespace ModelWatch.Engine.Statistics.Drift;

/// <summary>
/// Ten equal-width bins over min..max of both samples, with numpy.histogram semantics: edges as numpy.linspace,
/// bins closed on the left, the last bin also closed on the right; a constant sample spans (v − 0.5, v + 0.5).
/// </summary>
internal static class EqualWidthBins
{
    public const int BinCount = 10;

    public static double[] Edges(double min, double max)
    {
        if (min == max)
        {
            min -= 0.5;
            max += 0.5;
        }

        // numpy.linspace: start + i * (delta / div), with the last edge set to stop exactly.
        var edges = new double[BinCount + 1];
        var step = (max - min) / BinCount;
        for (var i = 0; i < BinCount; i++)
        {
            edges[i] = i * step + min;
        }

        edges[BinCount] = max;
        return edges;
    }

    /// <summary>Counts per bin of an ascending sample, by binary search on the edges.</summary>
    public static long[] CountSorted(double[] sorted, double[] edges)
    {
        var counts = new long[BinCount];
        var lower = LowerBound(sorted, edges[0]);
        for (var i = 0; i < BinCount; i++)
        {
            var upper = i == BinCount - 1 ? UpperBound(sorted, edges[BinCount]) : LowerBound(sorted, edges[i + 1]);
            counts[i] = upper - lower;
            lower = upper;
        }

        return counts;
    }

    /// <summary>Index of the first element ≥ value.</summary>
    internal static int LowerBound(double[] sorted, double value)
    {
        int lo = 0, hi = sorted.Length;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (sorted[mid] < value) lo = mid + 1;
            else hi = mid;
        }

        return lo;
    }

    /// <summary>Index of the first element > value.</summary>
    internal static int UpperBound(double[] sorted, double value)
    {
        int lo = 0, hi = sorted.Length;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (sorted[mid] <= value) lo = mid + 1;
            else hi = mid;
        }

        return lo;
    }
}
