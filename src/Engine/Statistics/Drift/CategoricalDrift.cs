using MathNet.Numerics;

namespace ModelWatch.Engine.Statistics.Drift;

/// <summary>
/// Drift between reference and current categorical samples over the union of their categories: chi-square test of
/// homogeneity (scipy.stats.chi2_contingency, correction=False), PSI and Jensen–Shannon on the proportions.
/// A null category counts as missing and is skipped.
/// </summary>
public static class CategoricalDrift
{
    public static CategoricalDriftResult Compare(
        IEnumerable<string?> reference, IEnumerable<string?> current, DriftPolicy? policy = null) =>
        Compare(CategoryCounts.Of(reference), CategoryCounts.Of(current), policy);

    /// <summary>The same comparison from category counts (for example merged from minute buckets).</summary>
    public static CategoricalDriftResult Compare(CategoryCounts reference, CategoryCounts current, DriftPolicy? policy = null)
    {
        policy ??= DriftPolicy.Default;
        var method = policy.UsesTest(reference.Total) ? DriftMethod.ChiSquare : DriftMethod.JensenShannon;
        var threshold = method == DriftMethod.ChiSquare ? policy.PValueThreshold : policy.JensenShannonThreshold;
        var categories = reference.Categories.Union(current.Categories).Order(StringComparer.Ordinal).ToArray();

        var reason = NumericalDrift.EmptyReason("reference", reference.Total, 0)
            ?? NumericalDrift.EmptyReason("current", current.Total, 0);
        if (reason is not null)
        {
            return new CategoricalDriftResult(method, null, threshold, false, reference.Total, current.Total,
                categories.Length, null, null, null, null, reason);
        }

        var r = categories.Select(reference.CountOf).ToArray();
        var c = categories.Select(current.CountOf).ToArray();
        var chi = ChiSquareHomogeneity(r, c);
        var pr = Divergence.Proportions(r, reference.Total);
        var pc = Divergence.Proportions(c, current.Total);
        var psi = Divergence.Psi(pr, pc);
        var js = Divergence.JensenShannon(pr, pc);

        var (value, drifted) = method == DriftMethod.ChiSquare
            ? (chi.PValue, chi.PValue < threshold)
            : (js, js >= threshold);
        return new CategoricalDriftResult(method, value, threshold, drifted, reference.Total, current.Total,
            categories.Length, chi, psi, policy.BandOf(psi), js, null);
    }

    /// <summary>Pearson's statistic on the 2 × k table; k = 1 has no degrees of freedom (statistic 0, p = 1, as scipy).</summary>
    internal static ChiSquareTest ChiSquareHomogeneity(long[] reference, long[] current)
    {
        var dof = reference.Length - 1;
        if (dof <= 0)
        {
            return new ChiSquareTest(0.0, 1.0, 0);
        }

        double rowR = reference.Sum(), rowC = current.Sum();
        var total = rowR + rowC;
        var statistic = 0.0;
        for (var i = 0; i < reference.Length; i++)
        {
            var column = (double)(reference[i] + current[i]);
            statistic += Term(reference[i], rowR * column / total) + Term(current[i], rowC * column / total);
        }

        // Upper regularised gamma keeps precision for tiny p-values (1 − CDF would not).
        var p = SpecialFunctions.GammaUpperRegularized(dof / 2.0, statistic / 2.0);
        return new ChiSquareTest(statistic, Math.Clamp(p, 0.0, 1.0), dof);
    }

    private static double Term(long observed, double expected)
    {
        var delta = observed - expected;
        return delta * delta / expected;
    }
}
