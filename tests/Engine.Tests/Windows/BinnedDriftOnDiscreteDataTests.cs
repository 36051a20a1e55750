using ModelWatch.Engine.Statistics.Drift;

namespace ModelWatch.Engine.Tests.Windows;

public sealed class BinnedDriftOnDiscreteDataTests
{
    private static double[] Counts(int seed, int n)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, n).Select(_ =>
        {
            var normal = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
            return Math.Min(200, Math.Round(Math.Exp(3 + 0.7 * normal)));
        }).ToArray();
    }

    [Fact]
    public void Integer_counts_from_the_same_distribution_do_not_drift_when_binned()
    {
        var reference = Counts(1, 2_000);
        var current = Counts(2, 1_000);
        var edges = BinEdges.FromReference(reference, 40)!;

        var exact = NumericalDrift.Compare(reference, current);
        var binned = BinnedDrift.Compare(FixedBinHistogram.Of(edges, reference), FixedBinHistogram.Of(edges, current));

        Assert.True(exact.WassersteinNormalized < 0.1, $"exact {exact.WassersteinNormalized}");
        Assert.True(binned.WassersteinNormalized < 0.1, $"binned {binned.WassersteinNormalized} vs exact {exact.WassersteinNormalized}");
    }

    [Fact]
    public void A_histogram_merged_from_minute_buckets_drifts_like_one_built_at_once()
    {
        var reference = Counts(1, 2_000);
        var current = Counts(2, 1_000);
        var edges = BinEdges.FromReference(reference, 40)!;
        var merged = new FixedBinHistogram(edges);
        foreach (var minute in current.Chunk(17)) merged.Merge(FixedBinHistogram.Of(edges, minute));
        var referenceHistogram = FixedBinHistogram.Of(edges, reference);

        var once = BinnedDrift.Compare(referenceHistogram, FixedBinHistogram.Of(edges, current));
        var fromBuckets = BinnedDrift.Compare(referenceHistogram, merged);

        Assert.Equal(once.WassersteinNormalized!.Value, fromBuckets.WassersteinNormalized!.Value, 9);
        Assert.Equal(once.Ks!.Statistic, fromBuckets.Ks!.Statistic, 9);
    }
}
