namespace ModelWatch.Engine.Statistics.Drift;

/// <summary>
/// One merge pass over two ascending samples giving both the KS statistic (largest gap between the empirical
/// CDFs) and the Wasserstein distance (area between them), as scipy's ks_2samp and wasserstein_distance do
/// with searchsorted(side='right').
/// </summary>
internal static class EmpiricalCdfWalk
{
    public static (double KsStatistic, double Wasserstein) Compare(double[] a, double[] b)
    {
        int n = a.Length, m = b.Length;
        int i = 0, j = 0;
        double d = 0, area = 0, gap = 0, previous = 0;
        var first = true;
        while (i < n || j < m)
        {
            var value = j >= m || (i < n && a[i] <= b[j]) ? a[i] : b[j];
            if (!first)
            {
                area += gap * (value - previous);
            }

            while (i < n && a[i] == value) i++;
            while (j < m && b[j] == value) j++;

            // Divide (not multiply by a reciprocal) so each CDF value is bit-identical to scipy's.
            gap = Math.Abs((double)i / n - (double)j / m);
            if (gap > d) d = gap;
            previous = value;
            first = false;
        }

        return (d, area);
    }
}
