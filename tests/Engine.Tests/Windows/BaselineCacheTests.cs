using System.Text;
using System.Text.Json;
using ModelWatch.Engine.Ingestion;
using ModelWatch.Engine.Registry;
using ModelWatch.Engine.Windows;

namespace ModelWatch.Engine.Tests.Windows;

/// <summary>Decoded baselines live in the bounded aggregate cache, not per model for ever (issue 9: 1,000 models in 1.5 GB).</summary>
public sealed class BaselineCacheTests
{
    private static async Task<ModelDefinition> WithReference(WindowHarness h, string id, double shift)
    {
        var model = h.Model(ModelTask.BinaryClassification, id);
        var random = new Random(id.Length);
        var body = JsonSerializer.Serialize(new { rows = Enumerable.Range(0, 2_000).Select(_ => new { features = new { amount = random.NextDouble() * 100 + shift, country = "DE" }, prediction = random.NextDouble() }) });
        Assert.Equal(IngestStatus.Stored, (await h.Ingestion.UploadReferenceAsync(model, "1.0.0", Encoding.UTF8.GetBytes(body))).Status);
        return h.Registry.FindModel(id)!;
    }

    [Fact]
    public async Task Baselines_beyond_the_cache_bound_are_evicted_and_read_again_unchanged()
    {
        await using var h = await WindowHarness.StartAsync();
        var first = await WithReference(h, "fraud-detector", shift: 0);
        var second = await WithReference(h, "churn-predictor", shift: 50);
        await h.Buckets.FlushAsync();

        var one = h.Baselines.Baseline(first)!;

        // Room for one baseline only: reading the second pushes the first out.
        var cache = new AggregateCache(one.EstimatedBytes() + one.EstimatedBytes() / 2);
        var baselines = new Baselines(new ReferenceStore(h.Database.Connections), h.Database.Connections, h.Clock, cache);
        var held = baselines.Baseline(first)!;
        Assert.Same(held, baselines.Baseline(first));
        Assert.Equal(2_000, baselines.Baseline(second)!.Rows);
        Assert.True(cache.UsedBytes <= cache.CapacityBytes);
        Assert.Equal(1, cache.Count);

        var again = baselines.Baseline(first)!;
        Assert.NotSame(held, again);
        Assert.Equal(held.Rows, again.Rows);
        Assert.Equal(held.Sketch(0)!.Buckets(), again.Sketch(0)!.Buckets());
        Assert.Equal(held.CategoryTally(1).Counts, again.CategoryTally(1).Counts);
    }

    [Fact]
    public async Task A_baselines_estimate_covers_its_values_sketches_and_categories()
    {
        await using var h = await WindowHarness.StartAsync();
        var model = await WithReference(h, "fraud-detector", shift: 0);
        await h.Buckets.FlushAsync();
        var sample = h.Baselines.Baseline(model)!;

        // 2,000 amounts and predictions (8 bytes each), 2,000 country references, two sketches of up to 512 buckets.
        var values = 2 * 2_000 * 8 + 2_000 * 8;
        Assert.InRange(sample.EstimatedBytes(), values, values + 2 * (256 + 16 * 512 + 8 * 11) + 4_096);
    }
}
