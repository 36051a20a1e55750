using ModelWatch.Engine.Statistics.Drift;

namespace ModelWatch.Engine.Tests.Statistics;

/// <summary>Invariants checked on many seeded random samples (plain loops, no property-testing package).</summary>
public class DriftPropertyTests
{
    private static readonly double MaxJensenShannon = Math.Sqrt(Math.Log(2));

    private static double[] Sample(Random random, int maxSize)
    {
        var size = random.Next(1, maxSize);
        var shift = random.NextDouble() * 3;
        var scale = random.NextDouble() * 2 + 0.01;
        // Round sometimes to force ties.
        var decimals = random.Next(0, 4);
        return Enumerable.Range(0, size)
            .Select(_ => Math.Round((random.NextDouble() + random.NextDouble() - 1) * scale + shift, decimals))
            .ToArray();
    }

    [Fact]
    public void Statistics_stay_in_their_ranges()
    {
        var random = new Random(42);
        for (var i = 0; i < 300; i++)
        {
            var result = NumericalDrift.Compare(Sample(random, 300), Sample(random, 300));

            Assert.InRange(result.Ks!.Statistic, 0.0, 1.0);
            Assert.InRange(result.Ks.PValue, 0.0, 1.0);
            Assert.InRange(result.JensenShannon!.Value, 0.0, MaxJensenShannon + 1e-12);
            Assert.True(result.Psi >= 0);
            Assert.True(result.Wasserstein >= 0);
        }
    }

    [Fact]
    public void Wasserstein_and_KS_are_symmetric()
    {
        var random = new Random(7);
        for (var i = 0; i < 200; i++)
        {
            var a = Sample(random, 200);
            var b = Sample(random, 200);

            var ab = NumericalDrift.Compare(a, b);
            var ba = NumericalDrift.Compare(b, a);

            Assert.Equal(ab.Wasserstein!.Value, ba.Wasserstein!.Value, 1e-9);
            Assert.Equal(ab.Ks!.Statistic, ba.Ks!.Statistic);
            Assert.Equal(ab.Ks.PValue, ba.Ks.PValue, 1e-9);
        }
    }

    [Fact]
    public void Identical_samples_show_no_distance()
    {
        var random = new Random(11);
        for (var i = 0; i < 100; i++)
        {
            var a = Sample(random, 500);
            var shuffled = a.OrderBy(_ => random.Next()).ToArray();

            var result = NumericalDrift.Compare(a, shuffled);

            Assert.Equal(0.0, result.Wasserstein);
            Assert.Equal(0.0, result.Ks!.Statistic);
            Assert.Equal(0.0, result.Psi);
            Assert.Equal(0.0, result.JensenShannon);
        }
    }

    [Fact]
    public void Categorical_statistics_stay_in_their_ranges()
    {
        var random = new Random(5);
        string[] names = ["a", "b", "c", "d", "e"];
        for (var i = 0; i < 200; i++)
        {
            var r = Enumerable.Range(0, random.Next(1, 300)).Select(_ => names[random.Next(random.Next(1, 6))]);
            var c = Enumerable.Range(0, random.Next(1, 300)).Select(_ => names[random.Next(random.Next(1, 6))]);

            var result = CategoricalDrift.Compare(r, c);

            Assert.InRange(result.ChiSquare!.PValue, 0.0, 1.0);
            Assert.True(result.ChiSquare.Statistic >= 0);
            Assert.InRange(result.JensenShannon!.Value, 0.0, MaxJensenShannon + 1e-12);
            Assert.True(result.Psi >= 0);
        }
    }

    [Fact]
    public void Exact_KS_p_value_is_high_for_overlap_and_tiny_for_separated_samples()
    {
        var a = Enumerable.Range(0, 40).Select(i => (double)i).ToArray();
        var overlapping = Enumerable.Range(0, 30).Select(i => i * 4.0 / 3.0 + 0.5).ToArray();
        var separated = Enumerable.Range(0, 30).Select(i => i + 100.0).ToArray();

        Assert.True(NumericalDrift.Compare(a, overlapping).Ks!.PValue > 0.9);
        // All C(70, 30) orderings equally likely; complete separation either way: 2 / C(70, 30).
        Assert.Equal(3.6135170070159586e-20, NumericalDrift.Compare(a, separated).Ks!.PValue, 1e-28);
    }
}
