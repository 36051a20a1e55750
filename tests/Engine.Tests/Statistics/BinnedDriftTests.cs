using ModelWatch.Engine.Statistics.Drift;
using Xunit.Abstractions;

namespace ModelWatch.Engine.Tests.Statistics;

public class BinnedDriftTests(ITestOutputHelper output)
{
    private static double Normal(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    public static TheoryData<string> Shapes => new() { "normal-shift", "normal-scale", "lognormal", "same", "bimodal" };

    private static (double[] Reference, double[] Current) Samples(string shape, int seed)
    {
        var random = new Random(seed);
        Func<double> r, c;
        switch (shape)
        {
            case "normal-shift": r = () => Normal(random); c = () => Normal(random) + 0.3; break;
            case "normal-scale": r = () => 10 + Normal(random); c = () => 10 + 1.5 * Normal(random); break;
            case "lognormal": r = () => Math.Exp(Normal(random)); c = () => Math.Exp(0.2 + Normal(random)); break;
            case "same": r = () => Normal(random); c = () => Normal(random); break;
            default:
                r = () => random.Next(2) == 0 ? Normal(random) : 5 + Normal(random);
                c = () => random.Next(4) == 0 ? Normal(random) : 5 + Normal(random);
                break;
        }

        return (Enumerable.Range(0, 100_000).Select(_ => r()).ToArray(), Enumerable.Range(0, 60_000).Select(_ => c()).ToArray());
    }

    /// <summary>
    /// Stated tolerances of the binned approximation on 100,000 vs 60,000 values with 100 quantile bins:
    /// KS D within 0.01 (one bin's mass) and never above exact, Wasserstein within 0.5 % + 0.002 σ,
    /// PSI within 0.01 + 5 %, Jensen–Shannon within 0.01.
    /// </summary>
    [Theory]
    [MemberData(nameof(Shapes))]
    public void Binned_drift_approximates_the_exact_statistics(string shape)
    {
        var (reference, current) = Samples(shape, shape.Length);
        var edges = BinEdges.FromReference(reference)!;

        var exact = NumericalDrift.Compare(reference, current);
        var binned = BinnedDrift.Compare(FixedBinHistogram.Of(edges, reference), FixedBinHistogram.Of(edges, current));

        output.WriteLine($"{shape}: D {exact.Ks!.Statistic:F5}/{binned.Ks!.Statistic:F5} W {exact.Wasserstein:F5}/{binned.Wasserstein:F5} " +
                         $"PSI {exact.Psi:F5}/{binned.Psi:F5} JS {exact.JensenShannon:F5}/{binned.JensenShannon:F5}");
        Assert.True(binned.Approximate);
        Assert.InRange(exact.Ks.Statistic - binned.Ks.Statistic, 0.0, 0.01);
        var sigma = NumericalDrift.PopulationStandardDeviation(reference);
        Assert.Equal(exact.Wasserstein!.Value, binned.Wasserstein!.Value, 0.005 * exact.Wasserstein.Value + 0.002 * sigma);
        Assert.Equal(exact.WassersteinNormalized!.Value, binned.WassersteinNormalized!.Value, 0.005 * exact.WassersteinNormalized.Value + 0.002);
        Assert.Equal(exact.Psi!.Value, binned.Psi!.Value, 0.01 + 0.05 * exact.Psi.Value);
        Assert.Equal(exact.JensenShannon!.Value, binned.JensenShannon!.Value, 0.01);
        Assert.Equal(exact.Drifted, binned.Drifted);
        Assert.Equal(exact.PsiBand, binned.PsiBand);
    }

    [Fact]
    public void Histograms_merged_from_minute_buckets_equal_one_histogram_of_all_values()
    {
        var random = new Random(8);
        var edges = BinEdges.FromReference(Enumerable.Range(0, 5000).Select(_ => Normal(random)).ToArray())!;
        var minutes = Enumerable.Range(0, 60)
            .Select(_ => Enumerable.Range(0, random.Next(0, 200)).Select(_ => Normal(random) * 1.5).ToArray()).ToArray();

        var merged = FixedBinHistogram.Merge(edges, minutes.Select(m => FixedBinHistogram.Of(edges, m)));
        var whole = FixedBinHistogram.Of(edges, minutes.SelectMany(m => m).ToArray());

        Assert.Equal(whole.Counts, merged.Counts);
        Assert.Equal(whole.Count, merged.Count);
        Assert.Equal(whole.Min, merged.Min);
        Assert.Equal(whole.Max, merged.Max);
        Assert.Equal(whole.Mean!.Value, merged.Mean!.Value, 1e-9);
        Assert.Equal(whole.PopulationStandardDeviation!.Value, merged.PopulationStandardDeviation!.Value, 1e-9);
    }

    [Fact]
    public void Histogram_and_edges_round_trip_through_bytes()
    {
        var random = new Random(9);
        var edges = BinEdges.FromReference(Enumerable.Range(0, 1000).Select(_ => Normal(random)).ToArray())!;
        var histogram = FixedBinHistogram.Of(edges, [.. Enumerable.Range(0, 500).Select(_ => Normal(random)), double.NaN]);

        var edgesCopy = BinEdges.FromBytes(edges.ToBytes());
        var copy = FixedBinHistogram.FromBytes(histogram.ToBytes(), edgesCopy);

        Assert.Equal(edges, edgesCopy);
        Assert.Equal(histogram.Counts, copy.Counts);
        Assert.Equal(histogram.NonFiniteCount, copy.NonFiniteCount);
        Assert.Equal(histogram.Mean, copy.Mean);
        Assert.Equal(histogram.ToBytes(), copy.ToBytes());
        Assert.True(histogram.ToBytes().Length < 700, $"{histogram.ToBytes().Length} bytes");
    }

    [Fact]
    public void Values_outside_the_reference_range_land_in_underflow_and_overflow()
    {
        var edges = BinEdges.FromReference([1.0, 2.0, 3.0, 4.0], bins: 3)!;

        Assert.Equal([1.0, 2.0, 3.0, 4.0], edges.Values);
        Assert.Equal(0, edges.BinOf(0.5));
        Assert.Equal(1, edges.BinOf(1.0));
        Assert.Equal(3, edges.BinOf(4.0)); // last interior bin is closed on the right
        Assert.Equal(4, edges.BinOf(4.5));
    }

    [Fact]
    public void Constant_reference_has_one_point_bin_and_identical_data_shows_no_drift()
    {
        var edges = BinEdges.FromReference([7.0, 7.0, 7.0])!;
        var reference = FixedBinHistogram.Of(edges, [7.0, 7.0, 7.0]);
        var current = FixedBinHistogram.Of(edges, [7.0, 7.0]);

        var result = BinnedDrift.Compare(reference, current);

        Assert.Equal(3, edges.BinCount);
        Assert.Equal(0.0, result.Ks!.Statistic);
        Assert.Equal(0.0, result.Wasserstein);
        Assert.Equal(0.0, result.Psi);
        Assert.False(result.Drifted);
    }

    [Fact]
    public void Empty_window_gives_no_result_and_says_why()
    {
        var edges = BinEdges.FromReference([1.0, 2.0])!;
        var current = new FixedBinHistogram(edges);
        current.Add(double.NaN);

        var result = BinnedDrift.Compare(FixedBinHistogram.Of(edges, [1.0, 2.0]), current);

        Assert.Null(result.Value);
        Assert.Contains("no finite values", result.Reason);
    }

    [Fact]
    public void All_NaN_reference_gives_no_edges()
    {
        Assert.Null(BinEdges.FromReference([double.NaN]));
    }

    [Fact]
    public void Histograms_on_different_edges_do_not_mix()
    {
        var a = new FixedBinHistogram(BinEdges.FromValues([0.0, 1.0]));
        var b = new FixedBinHistogram(BinEdges.FromValues([0.0, 2.0]));

        Assert.Throws<ArgumentException>(() => a.Merge(b));
        Assert.Throws<ArgumentException>(() => BinnedDrift.Compare(a, b));
    }

    [Fact]
    public void Category_counts_merge_and_round_trip()
    {
        var a = CategoryCounts.Of(["DE", "FR", "DE", null]);
        var b = CategoryCounts.Of(["US", "DE"]);

        var merged = CategoryCounts.Merge([a, b]);
        var copy = CategoryCounts.FromBytes(merged.ToBytes());

        Assert.Equal(5, merged.Total);
        Assert.Equal(3, merged.CountOf("DE"));
        Assert.Equal(merged.Counts.OrderBy(p => p.Key), copy.Counts.OrderBy(p => p.Key));
        Assert.Equal(CategoricalDrift.Compare(["DE", "FR", "DE", "US", "DE"], ["DE"]), CategoricalDrift.Compare(copy, CategoryCounts.Of(["DE"])));
    }
}
