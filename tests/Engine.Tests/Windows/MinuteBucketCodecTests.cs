using ModelWatch.Engine.Ingestion;
using ModelWatch.Engine.Registry;
using ModelWatch.Engine.Windows;

namespace ModelWatch.Engine.Tests.Windows;

public sealed class MinuteBucketCodecTests
{
    private static ModelDefinition Model(ModelTask task) => new(1, "m", "M", task, null,
        [new FeatureSpec("amount", FeatureType.Numerical, 0, 1000), new FeatureSpec("country", FeatureType.Categorical, Categories: ["DE", "FR"]), new FeatureSpec("unused", FeatureType.Numerical)],
        0.5, null, null, default, new Dictionary<string, long> { ["1.0.0"] = 1 });

    private static PredictionRecord Prediction(ModelDefinition model, int i, double amount, string country, double? score, string? cls = null, bool error = false)
    {
        var encoded = Encode(model, new Dictionary<string, object?> { ["amount"] = amount, ["country"] = country, ["extra" + (i % 3)] = 1 });
        return new PredictionRecord("e" + i, 60_000 * 100 + i, 1, encoded.Data, encoded.Problems, i % 3 == 0 ? ["extra" + (i % 3)] : null,
            score, cls, null, 10 + i % 50, 0.001, error);
    }

    private static FeatureCodec.EncodedFeatures Encode(ModelDefinition model, Dictionary<string, object?> features)
    {
        using var json = System.Text.Json.JsonDocument.Parse(System.Text.Json.JsonSerializer.Serialize(features));
        return FeatureCodec.Encode(json.RootElement, model, new System.Buffers.ArrayBufferWriter<byte>());
    }

    [Theory]
    [InlineData(ModelTask.BinaryClassification)]
    [InlineData(ModelTask.MulticlassClassification)]
    [InlineData(ModelTask.Regression)]
    public void A_minute_bucket_round_trips_and_encodes_the_same_again(ModelTask task)
    {
        var model = Model(task);
        var bucket = new MinuteBucket(model) { FirstMinute = 100 };
        var random = new Random(1);
        for (var i = 0; i < 500; i++)
        {
            var score = task == ModelTask.MulticlassClassification ? (double?)null : random.NextDouble();
            bucket.Add(Prediction(model, i, random.NextDouble() * 900, i % 4 == 0 ? "FR" : "DE", score, task == ModelTask.MulticlassClassification ? "c" + i % 3 : null, error: i % 50 == 0));
            bucket.Add(new LabeledOutcome(i, 1, score, task == ModelTask.MulticlassClassification ? "c" + i % 3 : null, random.Next(2), "c" + i % 2));
        }
        bucket.AddErrors(3);

        var blob = MinuteBucketCodec.Encode(bucket);
        var copy = MinuteBucketCodec.DecodeMinute(model, blob);

        Assert.Equal(blob, MinuteBucketCodec.Encode(copy));
        Assert.Equal(bucket.Predictions, copy.Predictions);
        Assert.Equal(10, copy.FailedPredictions);
        Assert.Equal(3, copy.SampleErrors);
        Assert.Equal(100, copy.FirstMinute);
        Assert.Equal(bucket.Numerical(0)!.Buckets(), copy.Numerical(0)!.Buckets());
        Assert.Equal(bucket.Categorical(1)!.Counts, copy.Categorical(1)!.Counts);
        Assert.Null(copy.Numerical(2));
        Assert.Equal(bucket.Quality(0), copy.Quality(0));
        Assert.Equal(bucket.Latency.Summarise(), copy.Latency.Summarise());
        Assert.Equal(bucket.PredictionSketch.Buckets(), copy.PredictionSketch.Buckets());
        Assert.Equal(bucket.PredictionClasses.Counts, copy.PredictionClasses.Counts);
        Assert.Equal(bucket.ResidualSketch.Buckets(), copy.ResidualSketch.Buckets());
        Assert.Equal(bucket.Performance.Count, copy.Performance.Count);
        Assert.Equal(bucket.Performance.TruePositives, copy.Performance.TruePositives);
        Assert.Equal(bucket.Performance.Confusion, copy.Performance.Confusion);
        Assert.Equal(bucket.Performance.PositiveScores, copy.Performance.PositiveScores);
        Assert.Equal(bucket.Performance.AbsoluteErrorSum, copy.Performance.AbsoluteErrorSum);
        Assert.Equal(bucket.Undeclared.Counts, copy.Undeclared.Counts);
    }

    [Fact]
    public void A_quiet_minute_costs_bytes_not_kilobytes()
    {
        var model = Model(ModelTask.BinaryClassification);
        var bucket = new MinuteBucket(model);
        bucket.Add(Prediction(model, 1, 12.5, "DE", 0.7));
        Assert.True(MinuteBucketCodec.Encode(bucket).Length < 120, $"{MinuteBucketCodec.Encode(bucket).Length} bytes");
        Assert.True(MinuteBucketCodec.Encode(new MinuteBucket(model)).Length < 12);
    }

    [Fact]
    public void A_system_bucket_round_trips()
    {
        var bucket = new SystemBucket();
        bucket.Add(new OperationalSampleRecord(1, 50, 1024, null, 2));
        bucket.Add(new OperationalSampleRecord(2, 70, null, null, 1, VersionPk: 1)); // attributed: not model-wide
        bucket.Add(new CostRecord(3, 1.25, "gpu"));
        var copy = MinuteBucketCodec.DecodeSystem(MinuteBucketCodec.Encode(bucket));
        Assert.Equal(2, copy.Samples);
        Assert.Equal(2, copy.Errors);
        Assert.Equal(60, copy.CpuPercent);
        Assert.Equal(1024, copy.MemoryMb);
        Assert.Null(copy.GpuPercent);
        Assert.Equal(1.25, copy.CostRecordsUsd);
    }

    [Fact]
    public void Unknown_versions_and_cut_blobs_are_format_errors()
    {
        var model = Model(ModelTask.Regression);
        var bucket = new MinuteBucket(model);
        bucket.Add(Prediction(model, 1, 12.5, "DE", 3.0));
        var blob = MinuteBucketCodec.Encode(bucket);
        Assert.Throws<FormatException>(() => MinuteBucketCodec.DecodeMinute(model, blob[..^3]));
        Assert.Throws<FormatException>(() => MinuteBucketCodec.DecodeMinute(model, [99, .. blob[1..]]));
        Assert.Throws<FormatException>(() => MinuteBucketCodec.DecodeSystem([99]));
    }

    [Fact]
    public void A_hundred_thousand_undeclared_names_keep_a_hundred_and_count_the_rest()
    {
        var model = Model(ModelTask.Regression);
        var bucket = new MinuteBucket(model);
        var encoded = Encode(model, new Dictionary<string, object?> { ["amount"] = 1.0 });
        bucket.Add(new PredictionRecord("e", 0, 1, encoded.Data, encoded.Problems, [.. Enumerable.Range(0, 100_000).Select(i => "u" + i)], 1.0, null, null, null, null));
        Assert.Equal(100, bucket.Undeclared.Distinct);
        Assert.Equal(99_900, bucket.Undeclared.Other);
        Assert.True(MinuteBucketCodec.Encode(bucket).Length < 2_000);
    }
}
