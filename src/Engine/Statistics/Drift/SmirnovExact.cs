namespace ModelWatch.Engine.Statistics.Drift;

/// <summary>
/// Exact null distribution of the two-sample KS statistic by lattice paths (Hodges 1958): the merged order of
/// two samples is a path from (0, 0) to (n, m), all paths equally likely under H0.
/// </summary>
internal static class SmirnovExact
{
    /// <summary>
    /// P(D ≥ h / lcm(n, m)). Instead of counting paths (which overflows) it carries probabilities: from (x, y) the next
    /// value comes from the first sample with probability (n − x) / (n + m − x − y), so every number stays in [0, 1].
    /// The mass that steps out of the band is summed directly, so tiny p-values keep their relative precision.
    /// </summary>
    public static double ProbabilityOfGapAtLeast(int n, int m, long h)
    {
        long g = Gcd(n, m);
        long ng = n / g, mg = m / g;

        // Cell (x, y) lies inside the band while |x·mg − y·ng| < h, i.e. |x/n − y/m| < h / lcm.
        var column = new double[m + 1];
        var (lo, hi) = Band(0, n, m, ng, mg, h);
        column[0] = 1.0;
        for (var y = 1; y <= hi; y++)
        {
            column[y] = column[y - 1] * (m - (y - 1)) / (double)(n + m - (y - 1));
        }

        var escaped = hi < m ? column[hi] * (m - hi) / (double)(n + m - hi) : 0.0;

        for (var x = 1; x <= n; x++)
        {
            var previousLo = lo;
            var previousHi = hi;
            (lo, hi) = Band(x, n, m, ng, mg, h);
            if (lo > hi)
            {
                return 1.0;
            }

            for (var y = previousLo; y < lo && y <= previousHi; y++)
            {
                escaped += column[y] * (n - (x - 1)) / (double)(n + m - (x - 1) - y);
            }

            var below = 0.0;
            for (var y = lo; y <= hi; y++)
            {
                // Mass arriving from the left (x−1, y), if that cell was inside the previous band.
                var fromLeft = y >= previousLo && y <= previousHi
                    ? column[y] * (n - (x - 1)) / (double)(n + m - (x - 1) - y)
                    : 0.0;
                var fromBelow = y > lo ? below * (m - (y - 1)) / (double)(n + m - x - (y - 1)) : 0.0;
                below = fromLeft + fromBelow;
                column[y] = below;
            }

            if (hi < m)
            {
                escaped += column[hi] * (m - hi) / (double)(n + m - x - hi);
            }
        }

        return Math.Clamp(escaped, 0.0, 1.0);
    }

    private static (int Lo, int Hi) Band(int x, int n, int m, long ng, long mg, long h)
    {
        // Inside: x·mg − h < y·ng < x·mg + h.
        var centre = x * mg;
        var lo = FloorDiv(centre - h, ng) + 1;
        var hi = CeilDiv(centre + h, ng) - 1;
        return ((int)Math.Max(lo, 0), (int)Math.Min(hi, m));
    }

    private static long FloorDiv(long a, long b) => a >= 0 ? a / b : -((-a + b - 1) / b);

    private static long CeilDiv(long a, long b) => -FloorDiv(-a, b);

    private static long Gcd(long a, long b)
    {
        while (b != 0)
        {
            (a, b) = (b, a % b);
        }

        return a;
    }
}
