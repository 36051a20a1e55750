namespace ModelWatch.Engine.Statistics.Performance;

/// <summary>A two-sided confidence interval of a metric, both ends inside the metric's range.</summary>
public sealed record ConfidenceInterval(double Low, double High, string Method);

/// <summary>
/// Wilson score interval for a proportion (successes of n): unlike the normal approximation it stays inside [0, 1]
/// and is not degenerate at 0 or n, which matters for the small label counts of a young window.
/// </summary>
public static class WilsonInterval
{
    public const double Z95 = 1.959963984540054;

    public static ConfidenceInterval? Of(long successes, long n, double z = Z95)
    {
        if (n <= 0 || successes < 0 || successes > n) return null;
        double p = (double)successes / n, z2 = z * z;
        var centre = (p + z2 / (2 * n)) / (1 + z2 / n);
        var half = z / (1 + z2 / n) * Math.Sqrt(p * (1 - p) / n + z2 / (4.0 * n * n));
        return new ConfidenceInterval(Math.Max(0, centre - half), Math.Min(1, centre + half), "wilson");
    }
}
