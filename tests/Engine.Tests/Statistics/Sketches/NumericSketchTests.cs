using ModelWatch.Engine.Statistics.Sketches;

namespace ModelWatch.Engine.Tests.Statistics.Sketches;

public sealed class NumericSketchTests
{
    public static TheoryData<string> Shapes => [.. SketchData.Shapes];

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Merging_minute_sketches_equals_sketching_all_their_values_at_once(string shape)
    {
        var (values, _) = SketchData.Samples(shape, 50_000, 0, 3);
        var random = new Random(4);
        var minutes = new List<NumericSketch>();
        for (var at = 0; at < values.Length;)
        {
            var size = random.Next(0, 3_000);
            minutes.Add(NumericSketch.Of(values.AsSpan(at, Math.Min(size, values.Length - at))));
            at += size;
        }
        var merged = new NumericSketch();
        foreach (var m in minutes.OrderBy(_ => random.Next())) merged.Merge(m); // any order
        var whole = NumericSketch.Of(values);

        Assert.Equal(whole.Shift, merged.Shift);
        Assert.Equal(whole.Buckets(), merged.Buckets());
        Assert.Equal(whole.Count, merged.Count);
        Assert.Equal(whole.Min, merged.Min);
        Assert.Equal(whole.Max, merged.Max);
        Assert.Equal(whole.Mean!.Value, merged.Mean!.Value, Math.Abs(whole.Mean.Value) * 1e-12 + 1e-12);
        Assert.Equal(whole.PopulationStandardDeviation!.Value, merged.PopulationStandardDeviation!.Value, whole.PopulationStandardDeviation.Value * 1e-9 + 1e-12);
        Assert.True(merged.BucketCount <= NumericSketch.DefaultMaxBuckets);
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Sketches_round_trip_through_bytes(string shape)
    {
        foreach (var size in new[] { 0, 1, 2, 100, 20_000 })
        {
            var (values, _) = SketchData.Samples(shape, size, 0, size);
            var sketch = NumericSketch.Of(values);
            sketch.Add(double.NaN);
            var copy = NumericSketch.FromBytes(sketch.ToBytes());
            Assert.Equal(sketch.Buckets(), copy.Buckets());
            Assert.Equal(sketch.Shift, copy.Shift);
            Assert.Equal(sketch.Count, copy.Count);
            Assert.Equal(1, copy.NonFiniteCount);
            Assert.Equal(sketch.Min, copy.Min);
            Assert.Equal(sketch.Max, copy.Max);
            Assert.Equal(sketch.Mean, copy.Mean);
            Assert.Equal(sketch.PopulationStandardDeviation, copy.PopulationStandardDeviation);
            Assert.Equal(sketch.ToBytes(), copy.ToBytes());
        }
    }

    [Fact]
    public void A_sealed_window_sketch_keeps_only_its_buckets_and_still_merges_the_same()
    {
        var (values, _) = SketchData.Samples(SketchData.Shapes[0], 1_440 * 60, 0, 7);
        var window = new NumericSketch();
        for (var minute = 0; minute < 1_440; minute++) window.Merge(NumericSketch.Of(values.AsSpan(minute * 60, 60)));
        var merging = window.RetainedBytes;

        window.Seal();

        // What the aggregate cache charges: 16 bytes per occupied bucket and the object, not the merge buffers.
        Assert.True(merging > 2 * window.RetainedBytes, $"{merging} bytes while merging, {window.RetainedBytes} sealed");
        Assert.Equal(96 + 16L * window.BucketCount, window.RetainedBytes);
        var again = NumericSketch.Of(values);
        window.Merge(NumericSketch.Of(values)); // a sealed sketch taken back by a failed flush still merges
        again.Merge(NumericSketch.Of(values));
        Assert.Equal(again.Buckets(), window.Buckets());
    }

    [Fact]
    public void A_single_value_costs_thirteen_bytes_and_a_busy_column_stays_under_a_kilobyte_and_a_half()
    {
        Assert.True(NumericSketch.Of([42.5]).ToBytes().Length <= 13, "one value");
        var (values, _) = SketchData.Samples("lognormal", 100_000, 0, 1);
        var busy = NumericSketch.Of(values).ToBytes().Length;
        Assert.True(busy <= 1_500, $"{busy} bytes for 100,000 lognormal values");
    }

    /// <summary>Rank error of the quantiles: within 0.5 % of the exact rank on every shape (the buckets are that narrow).</summary>
    [Theory]
    [InlineData("lognormal")]
    [InlineData("bimodal")]
    [InlineData("constant")]
    [InlineData("offset-normal")]
    [InlineData("integer")]
    [InlineData("wide-signed")]
    public void Quantiles_lie_within_half_a_percent_of_rank_of_the_exact_ones(string shape)
    {
        var (values, _) = SketchData.Samples(shape, 100_000, 0, 9);
        var sketch = NumericSketch.Of(values);
        var sorted = values.Order().ToArray();
        foreach (var q in new[] { 0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.99 })
        {
            var estimate = sketch.Quantile(q)!.Value;
            // Rank interval of the estimate among the exact values (ties give an interval).
            var below = Array.FindIndex(sorted, v => v >= estimate);
            var atOrBelow = Array.FindLastIndex(sorted, v => v <= estimate) + 1;
            below = below < 0 ? sorted.Length : below;
            var target = q * sorted.Length;
            var error = target < below ? below - target : target > atOrBelow ? target - atOrBelow : 0;
            Assert.True(error / sorted.Length <= 0.005, $"q {q}: estimate {estimate} has rank {below}..{atOrBelow}, target {target}");
        }
    }

    [Fact]
    public void Few_distinct_values_stay_exact()
    {
        var sketch = NumericSketch.Of([.. Enumerable.Range(0, 10_000).Select(i => (double)(i % 200))]);
        Assert.True(sketch.IsExact);
        Assert.Equal(200, sketch.BucketCount);
        Assert.Equal(Enumerable.Range(0, 200).Select(i => new SketchBucket(i, i, 50)), sketch.Buckets());
    }

    [Fact]
    public void Offset_data_keeps_fine_buckets_where_a_fixed_relative_accuracy_would_use_two()
    {
        var (values, _) = SketchData.Samples("offset-normal", 100_000, 0, 2);
        var sketch = NumericSketch.Of(values);
        Assert.True(sketch.BucketCount > 100, $"{sketch.BucketCount} buckets");
        Assert.True(sketch.Buckets().Max(b => b.Count) < 0.05 * values.Length, "no bucket holds 5 % of the mass");
    }

    [Fact]
    public void Non_finite_values_are_counted_apart_and_negative_zero_joins_zero()
    {
        var sketch = NumericSketch.Of([double.NaN, double.PositiveInfinity, -0.0, 0.0, -1, 1]);
        Assert.Equal(4, sketch.Count);
        Assert.Equal(2, sketch.NonFiniteCount);
        Assert.Equal([new SketchBucket(-1, -1, 1), new SketchBucket(0, 0, 2), new SketchBucket(1, 1, 1)], sketch.Buckets());
    }

    [Fact]
    public void A_damaged_blob_is_a_format_error()
    {
        var bytes = NumericSketch.Of([1.0, 2.0, 3.0]).ToBytes();
        bytes[^1] = 9; // the last count no longer adds up
        Assert.Throws<FormatException>(() => NumericSketch.FromBytes(bytes));
        Assert.Throws<FormatException>(() => NumericSketch.FromBytes([7]));
    }
}
