using ModelWatch.Engine.Statistics.Drift;

namespace ModelWatch.Engine.Statistics.Sketches;

/// <summary>
/// Numerical drift between two <see cref="NumericSketch"/>es, for windows merged from minute buckets. Both are brought
/// to a common shift, so their bucket grids align, and each bucket's mass is spread evenly over the bucket:
/// <list type="bullet">
/// <item>KS D: the largest CDF gap at the bucket bounds (the gap is linear inside a shared bucket, so the largest
/// lies on a bound). When both sketches are exact (few distinct values) this is the exact D, and the p-value is
/// scipy's.</item>
/// <item>Wasserstein: the exact area between the two piecewise-linear CDFs.</item>
/// <item>PSI and Jensen–Shannon: on the reference-quantile bins (<see cref="ReferenceQuantileBins"/> equal-frequency
/// bins of the reference plus an underflow and an overflow bin), the bins the distribution chart shows, as Evidently
/// and NannyML do for production windows. The bucket holding the bottom (top) edge counts into the first (last)
/// interior bin, so integer and constant data keep their values inside the reference's range.</item>
/// </list>
/// Tests compare with <see cref="NumericalDrift"/> on raw values (docs/performance.md has the measured errors).
/// </summary>
public static class SketchDrift
{
    /// <summary>Deciles: the classic PSI binning, the one its 0.1 / 0.25 bands were calibrated on.</summary>
    public const int ReferenceQuantileBins = 10;

    /// <summary>How the window PSI and JS are binned, as the API names it.</summary>
    public const string Binning = "reference-quantiles";

    public static SketchComparison Compare(NumericSketch reference, NumericSketch current, BinEdges? edges, DriftPolicy? policy = null)
    {
        policy ??= DriftPolicy.Default;
        long n = reference.Count, m = current.Count;
        var method = policy.UsesTest(n) ? DriftMethod.KolmogorovSmirnov : DriftMethod.WassersteinNormalized;
        var threshold = method == DriftMethod.KolmogorovSmirnov ? policy.PValueThreshold : policy.WassersteinNormalizedThreshold;
        var reason = NumericalDrift.EmptyReason("reference", n, reference.NonFiniteCount)
            ?? NumericalDrift.EmptyReason("current", m, current.NonFiniteCount);
        var shift = Math.Max(reference.Shift, current.Shift);
        var exact = shift == 0;
        if (reason is not null)
        {
            return new SketchComparison(new NumericalDriftResult(method, null, threshold, false, n, m, reference.NonFiniteCount,
                current.NonFiniteCount, null, null, null, null, null, null, !exact, reason), null, [], []);
        }

        var r = reference.AtShift(shift);
        var c = current.AtShift(shift);
        double min = Math.Min(r.Min, c.Min), max = Math.Max(r.Max, c.Max);
        var (d, wasserstein) = GapAndArea(r, c, min, max);
        var ks = exact ? KolmogorovSmirnov.Test(d, n, m) : KolmogorovSmirnov.ApproximateTest(d, n, m);
        var normalized = wasserstein / Math.Max(reference.PopulationStandardDeviation!.Value, NumericalDrift.MinimumScale);

        edges ??= EdgesOf(reference)!; // the reference has values here, so it has edges
        var referenceMasses = Masses(r, edges, min, max);
        var currentMasses = Masses(c, edges, min, max);
        var pr = Divergence.Proportions(referenceMasses, n);
        var pc = Divergence.Proportions(currentMasses, m);
        var psi = Divergence.Psi(pr, pc);
        var js = Divergence.JensenShannon(pr, pc);

        var (value, drifted) = method == DriftMethod.KolmogorovSmirnov
            ? (ks.PValue, ks.PValue < threshold)
            : (normalized, normalized >= threshold);
        var result = new NumericalDriftResult(method, value, threshold, drifted, n, m, reference.NonFiniteCount,
            current.NonFiniteCount, ks, wasserstein, normalized, psi, policy.BandOf(psi), js, !exact, null);
        return new SketchComparison(result, edges, Shares(referenceMasses, n), Shares(currentMasses, m));
    }

    /// <summary>Reference-quantile edges from a sketch (a production window used as the reference); null when empty.</summary>
    public static BinEdges? EdgesOf(NumericSketch reference)
    {
        if (reference.Count == 0) return null;
        var edges = new List<double>(ReferenceQuantileBins + 1);
        for (var i = 0; i <= ReferenceQuantileBins; i++)
        {
            var e = i == 0 ? reference.Min : i == ReferenceQuantileBins ? reference.Max : reference.Quantile((double)i / ReferenceQuantileBins)!.Value;
            if (edges.Count == 0 || e > edges[^1]) edges.Add(e);
        }
        return BinEdges.FromValues(edges);
    }

    /// <summary>Exact reference-quantile PSI and JS on raw values, the golden side of the accuracy tests.</summary>
    public static (double Psi, double JensenShannon) ExactOnBins(ReadOnlySpan<double> reference, ReadOnlySpan<double> current, BinEdges edges)
    {
        var (cr, nr) = CountExact(reference, edges);
        var (cc, nc) = CountExact(current, edges);
        var pr = Divergence.Proportions(cr, nr);
        var pc = Divergence.Proportions(cc, nc);
        return (Divergence.Psi(pr, pc), Divergence.JensenShannon(pr, pc));
    }

    private static (long[] Counts, long Total) CountExact(ReadOnlySpan<double> values, BinEdges edges)
    {
        var counts = new long[edges.BinCount];
        long total = 0;
        foreach (var v in values)
        {
            if (!double.IsFinite(v)) continue;
            counts[edges.BinOf(v)]++;
            total++;
        }
        return (counts, total);
    }

    private static (double Gap, double Area) GapAndArea(NumericSketch r, NumericSketch c, double min, double max)
    {
        double n = r.Count, m = c.Count;
        int i = 0, j = 0, ri = r.Length, cj = c.Length;
        double gap = 0, area = 0, diff = 0, previousHi = double.NaN;
        while (i < ri || j < cj)
        {
            SketchBucket bucket;
            double step;
            if (j >= cj || (i < ri && r.KeyAt(i) < c.KeyAt(j))) { bucket = r.BucketAt(i++, min, max); step = bucket.Count / n; }
            else if (i >= ri || c.KeyAt(j) < r.KeyAt(i)) { bucket = c.BucketAt(j++, min, max); step = -bucket.Count / m; }
            else { bucket = r.BucketAt(i++, min, max); step = bucket.Count / n - c.BucketAt(j++, min, max).Count / m; }

            if (!double.IsNaN(previousHi) && bucket.Lo > previousHi) area += Math.Abs(diff) * (bucket.Lo - previousHi);
            var next = diff + step;
            var width = bucket.Hi - bucket.Lo;
            if (width > 0) area += width * LinearAbsMean(diff, next);
            diff = next;
            gap = Math.Max(gap, Math.Abs(diff));
            previousHi = Math.Max(bucket.Hi, double.IsNaN(previousHi) ? bucket.Hi : previousHi);
        }
        return (gap, area);
    }

    /// <summary>Mean of |a + (b − a)t| over t ∈ [0, 1].</summary>
    private static double LinearAbsMean(double a, double b)
    {
        if (a * b >= 0) return (Math.Abs(a) + Math.Abs(b)) / 2;
        return (a * a + b * b) / (2 * (Math.Abs(a) + Math.Abs(b)));
    }

    /// <summary>Mass per bin: underflow, the interior bins, overflow (see the class remarks for the edge buckets).</summary>
    private static double[] Masses(NumericSketch s, BinEdges edges, double min, double max)
    {
        var e = edges.Values;
        var masses = new double[edges.BinCount];
        var last = edges.BinCount - 1;
        for (var k = 0; k < s.Length; k++)
        {
            var b = s.BucketAt(k, min, max);
            if (b.Hi < e[0] || (b.Lo < e[0] && b.Hi == e[0] && b.Hi > b.Lo)) { masses[0] += b.Count; continue; }
            if (b.Lo > e[^1]) { masses[last] += b.Count; continue; }
            if (e.Count == 1 || b.Hi <= b.Lo)
            {
                masses[Math.Clamp(edges.BinOf(Math.Clamp(b.Lo, e[0], e[^1])), 1, last - 1)] += b.Count;
                continue;
            }
            // Spread over [lo, hi) ∩ [e0, eL]: the buckets holding e0 and eL count fully inside the range.
            double lo = Math.Max(b.Lo, e[0]), hi = Math.Min(b.Hi, e[^1]);
            if (hi <= lo)
            {
                masses[Math.Clamp(edges.BinOf(lo), 1, last - 1)] += b.Count;
                continue;
            }
            for (var bin = Math.Max(1, edges.BinOf(lo)); bin <= last - 1; bin++)
            {
                var (blo, bhi) = edges.InteriorBounds(bin);
                if (blo >= hi) break;
                var overlap = Math.Min(hi, bhi) - Math.Max(lo, blo);
                if (overlap > 0) masses[bin] += b.Count * overlap / (hi - lo);
            }
        }
        return masses;
    }

    private static List<double> Shares(double[] masses, long total) => masses.Select(x => total == 0 ? 0 : x / total).ToList();
}

/// <summary>The drift result and the reference-quantile bins it was measured on, with each side's share per bin.</summary>
public sealed record SketchComparison(NumericalDriftResult Result, BinEdges? Edges, IReadOnlyList<double> ReferenceShares, IReadOnlyList<double> CurrentShares);
