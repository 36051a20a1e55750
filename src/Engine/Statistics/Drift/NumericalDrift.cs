namespace ModelWatch.Engine.Statistics.Drift;

/// <summary>
/// Drift between a reference and a current numerical sample: KS, Wasserstein (plain and normalised), PSI and
/// Jensen–Shannon, with the decision taken as <see cref="DriftPolicy"/> says. Each side is sorted once and the
/// sorted arrays serve every statistic.
/// </summary>
public static class NumericalDrift
{
    /// <summary>Floor for the reference standard deviation when normalising Wasserstein (constant references).</summary>
    public const double MinimumScale = 0.001;

    public static NumericalDriftResult Compare(
        ReadOnlySpan<double> reference, ReadOnlySpan<double> current, DriftPolicy? policy = null)
    {
        policy ??= DriftPolicy.Default;
        var r = FiniteCopy(reference, out var referenceDropped);
        var c = FiniteCopy(current, out var currentDropped);
        var method = policy.UsesTest(r.Length) ? DriftMethod.KolmogorovSmirnov : DriftMethod.WassersteinNormalized;
        var threshold = method == DriftMethod.KolmogorovSmirnov
            ? policy.PValueThreshold
            : policy.WassersteinNormalizedThreshold;

        var reason = EmptyReason("reference", r.Length, referenceDropped) ?? EmptyReason("current", c.Length, currentDropped);
        if (reason is not null)
        {
            return new NumericalDriftResult(method, null, threshold, false, r.Length, c.Length, referenceDropped,
                currentDropped, null, null, null, null, null, null, false, reason);
        }

        // Two cores: sort the two sides at once when they are big enough to be worth a thread.
        if (r.Length + c.Length > 100_000)
        {
            Parallel.Invoke(() => Array.Sort(r), () => Array.Sort(c));
        }
        else
        {
            Array.Sort(r);
            Array.Sort(c);
        }

        var (d, wasserstein) = EmpiricalCdfWalk.Compare(r, c);
        var ks = KolmogorovSmirnov.Test(d, r.Length, c.Length);
        var normalized = wasserstein / Math.Max(PopulationStandardDeviation(r), MinimumScale);

        var edges = EqualWidthBins.Edges(Math.Min(r[0], c[0]), Math.Max(r[^1], c[^1]));
        var pr = Divergence.Proportions(EqualWidthBins.CountSorted(r, edges), r.Length);
        var pc = Divergence.Proportions(EqualWidthBins.CountSorted(c, edges), c.Length);
        var psi = Divergence.Psi(pr, pc);
        var js = Divergence.JensenShannon(pr, pc);

        var (value, drifted) = method == DriftMethod.KolmogorovSmirnov
            ? (ks.PValue, ks.PValue < threshold)
            : (normalized, normalized >= threshold);
        return new NumericalDriftResult(method, value, threshold, drifted, r.Length, c.Length, referenceDropped,
            currentDropped, ks, wasserstein, normalized, psi, policy.BandOf(psi), js, false, null);
    }

    internal static string? EmptyReason(string side, long size, long dropped) => size > 0
        ? null
        : dropped > 0
            ? $"The {side} sample has no finite values ({dropped} NaN or infinite values were dropped)."
            : $"The {side} sample is empty.";

    /// <summary>Population (ddof = 0) standard deviation, two-pass for accuracy.</summary>
    internal static double PopulationStandardDeviation(ReadOnlySpan<double> values)
    {
        var sum = 0.0;
        foreach (var v in values) sum += v;
        var mean = sum / values.Length;
        var squares = 0.0;
        foreach (var v in values)
        {
            var delta = v - mean;
            squares += delta * delta;
        }

        return Math.Sqrt(squares / values.Length);
    }

    // NaN and ±Infinity have no place on a number line the histograms and distances can use.
    private static double[] FiniteCopy(ReadOnlySpan<double> values, out long dropped)
    {
        var finite = new double[values.Length];
        var count = 0;
        foreach (var v in values)
        {
            if (double.IsFinite(v)) finite[count++] = v;
        }

        dropped = values.Length - count;
        if (count < finite.Length) Array.Resize(ref finite, count);
        return finite;
    }
}
