using ModelWatch.Engine.Statistics.Latency;

namespace ModelWatch.Engine.Tests.Statistics;

public class LatencySketchTests
{
    private static readonly double[] Quantiles = [0, 0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99, 0.999, 1];

    /// <summary>Log-normal latencies in ms with a random spread: from tight to many decades wide.</summary>
    private static double[] Latencies(Random random, int count)
    {
        var mu = random.NextDouble() * 6 - 1;
        var sigma = random.NextDouble() * 2 + 0.05;
        return Enumerable.Range(0, count).Select(_ =>
        {
            var normal = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
            return Math.Exp(mu + sigma * normal);
        }).ToArray();
    }

    private static LatencySketch Sketch(IEnumerable<double> values)
    {
        var sketch = new LatencySketch();
        foreach (var v in values) sketch.Add(v);
        return sketch;
    }

    /// <summary>The sketch's contract: within 1% of the element at rank ⌊q·(n − 1)⌋.</summary>
    private static void AssertWithinAccuracy(double[] values, LatencySketch sketch)
    {
        var sorted = values.Order().ToArray();
        foreach (var q in Quantiles)
        {
            var exact = sorted[(int)Math.Floor(q * (sorted.Length - 1))];
            var estimate = sketch.Quantile(q)!.Value;
            Assert.True(Math.Abs(estimate - exact) <= 0.01 * exact + 1e-12,
                $"q={q}: exact {exact}, sketch {estimate}");
        }
    }

    [Fact]
    public void Quantiles_are_within_one_percent_of_the_exact_ones()
    {
        var random = new Random(3);
        for (var i = 0; i < 40; i++)
        {
            var values = Latencies(random, random.Next(1, 5000));
            AssertWithinAccuracy(values, Sketch(values));
        }
    }

    [Fact]
    public void Merging_sketches_equals_sketching_the_union()
    {
        var random = new Random(4);
        for (var i = 0; i < 20; i++)
        {
            var minutes = Enumerable.Range(0, random.Next(1, 60)).Select(_ => Latencies(random, random.Next(0, 300))).ToArray();
            var all = minutes.SelectMany(m => m).ToArray();
            if (all.Length == 0) continue;

            var merged = LatencySketch.Merge(minutes.Select(Sketch));
            var direct = Sketch(all);

            Assert.Equal(direct.Count, merged.Count);
            Assert.Equal(direct.Sum, merged.Sum, 1e-6 * Math.Abs(direct.Sum));
            foreach (var q in Quantiles) Assert.Equal(direct.Quantile(q), merged.Quantile(q));
            AssertWithinAccuracy(all, merged);
        }
    }

    [Fact]
    public void Serialisation_round_trips()
    {
        var random = new Random(5);
        for (var i = 0; i < 20; i++)
        {
            var sketch = Sketch(Latencies(random, random.Next(0, 2000)).Append(0.0).Append(-1.0));

            var copy = LatencySketch.FromBytes(sketch.ToBytes());

            Assert.Equal(sketch.Count, copy.Count);
            Assert.Equal(sketch.Sum, copy.Sum);
            Assert.Equal(sketch.ZeroCount, copy.ZeroCount);
            Assert.Equal(sketch.Summarise(), copy.Summarise());
            Assert.Equal(sketch.ToBytes(), copy.ToBytes());
        }
    }

    [Fact]
    public void A_minute_of_latencies_serialises_compactly()
    {
        var sketch = Sketch(Latencies(new Random(6), 10_000));

        Assert.True(sketch.ToBytes().Length < 2048, $"{sketch.ToBytes().Length} bytes");
    }

    [Fact]
    public void Empty_sketch_has_no_quantiles()
    {
        var sketch = new LatencySketch();

        Assert.Null(sketch.Quantile(0.5));
        Assert.Equal(new LatencySummary(0, null, null, null, null, null, null, null), sketch.Summarise());
        Assert.Equal(0, LatencySketch.FromBytes(sketch.ToBytes()).Count);
    }

    [Fact]
    public void Zero_and_negative_values_count_in_the_zero_bucket()
    {
        var sketch = Sketch([0.0, -3.0, 0.0, 10.0]);

        Assert.Equal(3, sketch.ZeroCount);
        Assert.Equal(4, sketch.Count);
        Assert.Equal(0.0, sketch.Quantile(0.5));
        Assert.Equal(10.0, sketch.Quantile(1));
    }

    [Fact]
    public void NaN_and_infinity_are_ignored()
    {
        var sketch = Sketch([double.NaN, double.PositiveInfinity, 5.0]);

        Assert.Equal(1, sketch.Count);
        Assert.Equal(5.0, sketch.Quantile(0.5));
    }

    [Fact]
    public void Sketches_of_different_accuracy_do_not_merge()
    {
        Assert.Throws<ArgumentException>(() => new LatencySketch(0.01).Merge(new LatencySketch(0.02)));
    }
}
