namespace ModelWatch.Engine.Statistics.Drift;

/// <summary>
/// PSI and Jensen–Shannon distance over binned or categorical proportions. Empty bins get
/// <see cref="EmptyBinProportion"/> so that logarithms stay finite (the common Evidently convention).
/// </summary>
public static class Divergence
{
    public const double EmptyBinProportion = 0.0001;

    /// <summary>count / total per bin, with every zero proportion replaced by <see cref="EmptyBinProportion"/>.</summary>
    public static double[] Proportions(ReadOnlySpan<long> counts, long total)
    {
        var proportions = new double[counts.Length];
        for (var i = 0; i < counts.Length; i++)
        {
            var p = total == 0 ? 0.0 : (double)counts[i] / total;
            proportions[i] = p == 0.0 ? EmptyBinProportion : p;
        }

        return proportions;
    }

    /// <summary>Proportions from (possibly fractional) bin masses, with the same zero rule.</summary>
    public static double[] Proportions(ReadOnlySpan<double> masses, double total)
    {
        var proportions = new double[masses.Length];
        for (var i = 0; i < masses.Length; i++)
        {
            var p = total == 0 ? 0.0 : masses[i] / total;
            proportions[i] = p == 0.0 ? EmptyBinProportion : p;
        }

        return proportions;
    }

    /// <summary>PSI = Σ (r − c)·ln(r / c); non-negative because each term is.</summary>
    public static double Psi(ReadOnlySpan<double> reference, ReadOnlySpan<double> current)
    {
        var psi = 0.0;
        for (var i = 0; i < reference.Length; i++)
        {
            psi += (reference[i] - current[i]) * Math.Log(reference[i] / current[i]);
        }

        return psi;
    }

    /// <summary>
    /// Jensen–Shannon distance with natural log, as scipy.spatial.distance.jensenshannon: both vectors are
    /// renormalised to sum 1 first, so it lies in [0, √ln 2].
    /// </summary>
    public static double JensenShannon(ReadOnlySpan<double> p, ReadOnlySpan<double> q)
    {
        double sumP = 0, sumQ = 0;
        for (var i = 0; i < p.Length; i++)
        {
            sumP += p[i];
            sumQ += q[i];
        }

        double left = 0, right = 0;
        for (var i = 0; i < p.Length; i++)
        {
            var pi = p[i] / sumP;
            var qi = q[i] / sumQ;
            var mi = (pi + qi) / 2.0;
            left += RelativeEntropy(pi, mi);
            right += RelativeEntropy(qi, mi);
        }

        // Rounding can leave a tiny negative sum for identical vectors.
        return Math.Sqrt(Math.Max(0.0, (left + right) / 2.0));
    }

    private static double RelativeEntropy(double x, double y) => x > 0 && y > 0 ? x * Math.Log(x / y) : 0.0;
}
