namespace ModelWatch.Engine.Statistics.Drift;

/// <summary>
/// Numerical drift from two <see cref="FixedBinHistogram"/>s on the same edges, for windows merged from minute
/// buckets. Only each bin's count and mean are known, not where its values lie:
/// <list type="bullet">
/// <item>KS: the largest CDF gap at the bin edges. It can only under-estimate the exact D, by at most the mass of one
/// bin (about 1 % of the reference with 100 quantile bins). p-value from that D (exact only for small n·m).</item>
/// <item>Wasserstein: Σ over bins of |∫ (F_r − F_c)|, where each bin's integral is exact from its count and mean.
/// This equals the exact distance except where the two CDFs cross inside a bin (then it is lower). The normalising
/// standard deviation is exact (kept as sums).</item>
/// <item>PSI and Jensen–Shannon: the fine bins are re-spread onto the same 10 equal-width bins over the data range as
/// the exact version, so the 0.1 / 0.25 PSI bands keep their meaning; each bin's mass is spread evenly around its
/// mean.</item>
/// </list>
/// Tests compare against <see cref="NumericalDrift"/> on large samples with stated tolerances.
/// </summary>
public static class BinnedDrift
{
    public static NumericalDriftResult Compare(
        FixedBinHistogram reference, FixedBinHistogram current, DriftPolicy? policy = null)
    {
        if (!reference.Edges.Equals(current.Edges))
        {
            throw new ArgumentException("Histograms have different bin edges.", nameof(current));
        }

        policy ??= DriftPolicy.Default;
        long n = reference.Count, m = current.Count;
        var method = policy.UsesTest(n) ? DriftMethod.KolmogorovSmirnov : DriftMethod.WassersteinNormalized;
        var threshold = method == DriftMethod.KolmogorovSmirnov
            ? policy.PValueThreshold
            : policy.WassersteinNormalizedThreshold;
        var reason = NumericalDrift.EmptyReason("reference", n, reference.NonFiniteCount)
            ?? NumericalDrift.EmptyReason("current", m, current.NonFiniteCount);
        if (reason is not null)
        {
            return new NumericalDriftResult(method, null, threshold, false, n, m, reference.NonFiniteCount,
                current.NonFiniteCount, null, null, null, null, null, null, true, reason);
        }

        var (d, wasserstein) = CdfGapAndArea(reference, current);
        var ks = KolmogorovSmirnov.ApproximateTest(d, n, m);
        var normalized = wasserstein / Math.Max(reference.PopulationStandardDeviation!.Value, NumericalDrift.MinimumScale);

        var coarse = EqualWidthBins.Edges(Math.Min(reference.Min, current.Min), Math.Max(reference.Max, current.Max));
        var pr = Divergence.Proportions(Respread(reference, coarse), n);
        var pc = Divergence.Proportions(Respread(current, coarse), m);
        var psi = Divergence.Psi(pr, pc);
        var js = Divergence.JensenShannon(pr, pc);

        var (value, drifted) = method == DriftMethod.KolmogorovSmirnov
            ? (ks.PValue, ks.PValue < threshold)
            : (normalized, normalized >= threshold);
        return new NumericalDriftResult(method, value, threshold, drifted, n, m, reference.NonFiniteCount,
            current.NonFiniteCount, ks, wasserstein, normalized, psi, policy.BandOf(psi), js, true, null);
    }

    private static (double Gap, double Area) CdfGapAndArea(FixedBinHistogram r, FixedBinHistogram c)
    {
        long n = r.Count, m = c.Count;
        var last = r.Edges.BinCount - 1;

        // ∫ F below e₀ is E[(e₀ − X)₊]; ∫ (1 − F) above e_L is E[(X − e_L)₊]: both are offset sums over the count.
        var area = Math.Abs(r.OffsetSums[0] / n - c.OffsetSums[0] / m)
            + Math.Abs(r.OffsetSums[last] / n - c.OffsetSums[last] / m);
        long cumulativeR = r.Counts[0], cumulativeC = c.Counts[0];
        var before = (double)cumulativeR / n - (double)cumulativeC / m;
        var gap = Math.Abs(before);
        for (var i = 1; i < last; i++)
        {
            // Over [lo, hi]: ∫ F = F(lo)·w + Σ (hi − x) / N = F(lo)·w + (count·w − offset sum) / N, exactly.
            var (lo, hi) = r.Edges.InteriorBounds(i);
            var width = hi - lo;
            var integralR = width * r.Counts[i] - r.OffsetSums[i];
            var integralC = width * c.Counts[i] - c.OffsetSums[i];
            area += Math.Abs(before * width + integralR / n - integralC / m);

            cumulativeR += r.Counts[i];
            cumulativeC += c.Counts[i];
            before = (double)cumulativeR / n - (double)cumulativeC / m;
            gap = Math.Max(gap, Math.Abs(before));
        }

        return (gap, area);
    }

    /// <summary>
    /// Spreads each fine bin's count evenly over the widest interval centred on the bin's mean that stays inside the
    /// bin (tails: inside [min, e₀] or [e_L, max]), then onto the coarse equal-width bins.
    /// </summary>
    private static double[] Respread(FixedBinHistogram h, double[] coarse)
    {
        var masses = new double[EqualWidthBins.BinCount];
        var last = h.Edges.BinCount - 1;
        for (var i = 0; i <= last; i++)
        {
            var count = h.Counts[i];
            if (count == 0) continue;
            var (lo, hi) = i == 0 ? (h.Min, h.Edges.Values[0])
                : i == last ? (h.Edges.Values[^1], h.Max)
                : h.Edges.InteriorBounds(i);
            var mean = i == 0 ? hi - h.OffsetSums[0] / count : lo + h.OffsetSums[i] / count;
            var radius = Math.Max(0.0, Math.Min(mean - lo, hi - mean));
            (lo, hi) = (mean - radius, mean + radius);
            if (hi <= lo)
            {
                masses[CoarseBinOf(mean, coarse)] += count;
                continue;
            }

            for (var j = 0; j < EqualWidthBins.BinCount; j++)
            {
                var overlap = Math.Min(hi, coarse[j + 1]) - Math.Max(lo, coarse[j]);
                if (overlap > 0) masses[j] += count * overlap / (hi - lo);
            }
        }

        return masses;
    }

    private static int CoarseBinOf(double value, double[] coarse)
    {
        var bin = 0;
        while (bin < EqualWidthBins.BinCount - 1 && coarse[bin + 1] <= value) bin++;
        return bin;
    }
}
