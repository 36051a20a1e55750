using ModelWatch.Engine.Statistics.Sketches;

namespace ModelWatch.Engine.Tests.Statistics.Sketches;

public sealed class CappedCountsTests
{
    [Fact]
    public void A_hundred_thousand_distinct_categories_keep_only_the_cap_and_count_the_rest_as_other()
    {
        var counts = new CappedCounts(200);
        for (var i = 0; i < 100_000; i++) counts.Add("c" + i);
        Assert.Equal(200, counts.Distinct);
        Assert.Equal(100_000, counts.Total);
        Assert.Equal(99_800, counts.Other);
        Assert.True(counts.ToBytes().Length < 4_000);
    }

    [Fact]
    public void An_oversized_value_is_counted_as_other_and_never_kept()
    {
        var counts = new CappedCounts(200);
        counts.Add(new string('x', 15 * 1024 * 1024));
        Assert.Equal(0, counts.Distinct);
        Assert.Equal(1, counts.Other);
    }

    [Fact]
    public void Merging_keeps_the_largest_counts_and_keeps_the_total_exact()
    {
        var a = new CappedCounts(2);
        var b = new CappedCounts(2);
        foreach (var v in new[] { "x", "x", "x", "y" }) a.Add(v);
        foreach (var v in new[] { "z", "z", "y", "y", "y" }) b.Add(v);
        a.Merge(b);
        Assert.Equal(new Dictionary<string, long> { ["x"] = 3, ["y"] = 4 }, a.Counts);
        Assert.Equal(2, a.Other);
        Assert.Equal(9, a.Total);
    }

    [Fact]
    public void Counts_round_trip_through_bytes()
    {
        var counts = new CappedCounts(3);
        foreach (var v in new[] { "DE", "FR", "US", "US", "IT", "ü" }) counts.Add(v);
        var copy = CappedCounts.FromBytes(counts.ToBytes(), 3);
        Assert.Equal(counts.Counts, copy.Counts);
        Assert.Equal(counts.Other, copy.Other);
        Assert.Equal(counts.Total, copy.Total);
    }

    [Fact]
    public void Alignment_folds_reference_categories_that_may_hide_in_the_current_other()
    {
        var reference = new CappedCounts(int.MaxValue);
        foreach (var v in new[] { "a", "b", "c", "c" }) reference.Add(v);
        var current = new CappedCounts(1);
        foreach (var v in new[] { "a", "b", "c" }) current.Add(v);
        var (r, c) = CategoryAlignment.Align(reference, current, 200);
        Assert.Equal(["(other)", "a"], r.Categories.Order(StringComparer.Ordinal));
        Assert.Equal(3, r.CountOf(CappedCounts.OtherLabel));
        Assert.Equal(2, c.CountOf(CappedCounts.OtherLabel));
    }
}
