using Dapper;
using Microsoft.Extensions.Logging.Abstractions;
using ModelWatch.Engine.Ingestion;
using ModelWatch.Engine.Registry;
using ModelWatch.Engine.Tests.TestSupport;
using ModelWatch.Engine.Windows;
using static ModelWatch.Engine.Tests.TestSupport.Events;

namespace ModelWatch.Engine.Tests.Ingestion;

/// <summary>
/// Feature-level problems are data: the event is stored and the problem counted per model, minute and feature, in the
/// minute buckets the summary's quality section is built from (the only place they are kept).
/// </summary>
public sealed class FeatureQualityTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Minute = DateTimeOffset.Parse(Time, System.Globalization.CultureInfo.InvariantCulture);

    private readonly ForwardingObserver _forward = new();
    private EngineHarness Engine { get; set; } = null!;
    private ModelDefinition Model { get; set; } = null!;
    private BucketStore Buckets { get; set; } = null!;
    private SummaryService Summaries { get; set; } = null!;

    public async Task InitializeAsync()
    {
        Engine = await EngineHarness.StartAsync(observers: [_forward]);
        Model = Engine.Model();
        var connections = Engine.Database.Connections;
        var baselines = new Baselines(new ReferenceStore(connections), connections, Engine.Clock);
        Buckets = new BucketStore(Engine.Registry, baselines, connections, Engine.Clock, NullLogger<BucketStore>.Instance);
        await Buckets.StartAsync(CancellationToken.None);
        await Buckets.WhenReplayed;
        _forward.To = Buckets;
        Summaries = new SummaryService(Engine.Registry, Buckets, baselines, Engine.Clock);
    }

    public async Task DisposeAsync()
    {
        await Engine.DisposeAsync();
        await Buckets.StopAsync(CancellationToken.None);
        Buckets.Dispose();
    }

    private sealed class ForwardingObserver : IIngestionObserver
    {
        public IIngestionObserver? To { get; set; }
        public void OnCommitted(IReadOnlyList<CommittedWrite> writes) => To?.OnCommitted(writes);
    }

    private sealed record Quality(long Rows, long Missing, long TypeErrors, long OutOfBounds, long UnknownCategory, long Undeclared);

    private Quality Of(string feature) => Of(feature, Minute.AddHours(-1), Minute.AddHours(2));

    /// <summary>A feature's counts as the summary of a range shows them (rates times rows, back to counts).</summary>
    private Quality Of(string feature, DateTimeOffset from, DateTimeOffset to)
    {
        Task.Run(() => Buckets.FoldedAsync()).GetAwaiter().GetResult(); // off the test's context: the fold completes on the aggregator thread
        var summary = Summaries.GetSummary(Model.Id, from, to)!;
        var q = summary.Quality.FirstOrDefault(f => f.Feature == feature);
        if (q is null) return new Quality(0, 0, 0, 0, 0, 0);
        long Count(double? rate) => (long)Math.Round((rate ?? 0) * q.Rows);
        return new Quality(q.Rows, Count(q.MissingRate), Count(q.TypeErrorRate), Count(q.OutOfBoundsRate), Count(q.UnknownCategoryRate), q.Undeclared);
    }

    private async Task Send(string features, string id = "p-1")
    {
        var result = await Engine.PredictAsync(Model, Batch(Prediction(id, features: features)));
        Assert.Equal(IngestStatus.Stored, result.Status);
        Assert.Equal(1, result.Receipt!.Accepted);
        Assert.Equal(1, Engine.Database.Scalar("SELECT COUNT(*) FROM predictions WHERE event_id = @id", new { id }));
    }

    [Fact]
    public async Task A_clean_event_counts_one_row_per_declared_feature_and_no_problems()
    {
        await Send("""{ "amount": 120.5, "age": 31, "country": "DE" }""");

        Assert.Equal(new Quality(1, 0, 0, 0, 0, 0), Of("amount"));
        Assert.Equal(new Quality(1, 0, 0, 0, 0, 0), Of("age"));
        Assert.Equal(new Quality(1, 0, 0, 0, 0, 0), Of("country"));
        Assert.Equal(new Quality(1, 0, 0, 0, 0, 0), Of("amount", Minute, Minute.AddMinutes(1))); // counted in the event's own minute
        Assert.Equal(new Quality(0, 0, 0, 0, 0, 0), Of("amount", Minute.AddMinutes(-1), Minute));
    }

    [Theory]
    [InlineData("""{ "amount": 1, "country": "DE" }""")]
    [InlineData("""{ "amount": 1, "age": null, "country": "DE" }""")]
    public async Task A_missing_or_null_feature_is_stored_and_counted_as_missing(string features)
    {
        await Send(features);

        Assert.Equal(new Quality(1, 1, 0, 0, 0, 0), Of("age"));
        Assert.Equal(new Quality(1, 0, 0, 0, 0, 0), Of("amount"));
    }

    [Fact]
    public async Task An_event_without_features_counts_every_declared_feature_as_missing()
    {
        var result = await Engine.PredictAsync(Model, Batch($$"""{ "id": "bare", "timestamp": "{{Time}}", "version": "1.0.0", "prediction": 0.1 }"""));

        Assert.Equal(IngestStatus.Stored, result.Status);
        Assert.Equal(new Quality(1, 1, 0, 0, 0, 0), Of("amount"));
        Assert.Equal(new Quality(1, 1, 0, 0, 0, 0), Of("country"));
    }

    [Theory]
    [InlineData("amount", "\"lots\"")]
    [InlineData("amount", "true")]
    [InlineData("amount", "[1]")]
    [InlineData("amount", "{ \"value\": 1 }")]
    [InlineData("country", "49")]
    [InlineData("country", "false")]
    public async Task A_value_of_the_wrong_type_is_stored_and_counted_as_a_type_error(string feature, string value)
    {
        var features = """{ "amount": 1, "age": 2, "country": "DE" }""".Replace($"\"{feature}\": {(feature == "amount" ? "1" : "\"DE\"")}", $"\"{feature}\": {value}");

        await Send(features);

        Assert.Equal(new Quality(1, 0, 1, 0, 0, 0), Of(feature));
    }

    [Theory]
    [InlineData("\"NaN\"")]
    [InlineData("\"Infinity\"")]
    [InlineData("\"-Infinity\"")]
    [InlineData("NaN")]
    [InlineData("Infinity")]
    [InlineData("-Infinity")]
    public async Task NaN_and_infinities_as_strings_or_bare_Python_tokens_count_as_type_errors(string value)
    {
        await Send($$"""{ "amount": {{value}}, "age": 2, "country": "DE" }""");

        Assert.Equal(new Quality(1, 0, 1, 0, 0, 0), Of("amount"));
        Assert.Equal(new Quality(1, 0, 0, 0, 0, 0), Of("age"));
    }

    [Fact]
    public async Task Bare_NaN_inside_a_string_value_is_left_alone()
    {
        await Send("""{ "amount": 1, "age": 2, "country": "NaN \"Infinity\" -Infinity" }""");

        Assert.Equal(new Quality(1, 0, 0, 0, 1, 0), Of("country"));
    }

    [Theory]
    [InlineData("50000.01")]
    [InlineData("-1")]
    public async Task A_value_outside_the_declared_min_and_max_is_stored_and_counted_as_out_of_bounds(string amount)
    {
        await Send($$"""{ "amount": {{amount}}, "age": 2, "country": "DE" }""");

        Assert.Equal(new Quality(1, 0, 0, 1, 0, 0), Of("amount"));
    }

    [Fact]
    public async Task The_declared_bounds_themselves_are_in_bounds()
    {
        await Send("""{ "amount": 0, "age": -5, "country": "US" }""", "low");
        await Send("""{ "amount": 50000, "age": 1e9, "country": "FR" }""", "high");

        Assert.Equal(new Quality(2, 0, 0, 0, 0, 0), Of("amount"));
        Assert.Equal(new Quality(2, 0, 0, 0, 0, 0), Of("age")); // no bounds declared
    }

    [Fact]
    public async Task An_unknown_category_is_stored_and_counted()
    {
        await Send("""{ "amount": 1, "age": 2, "country": "XX" }""");

        Assert.Equal(new Quality(1, 0, 0, 0, 1, 0), Of("country"));
    }

    [Fact]
    public async Task An_undeclared_feature_is_stored_and_counted_under_its_own_name()
    {
        await Send("""{ "amount": 1, "age": 2, "country": "DE", "colour": "red", "device": 3 }""");

        Assert.Equal(1, Of("colour").Undeclared);
        Assert.Equal(1, Of("device").Undeclared);
        var stored = (byte[])Engine.Database.OpenRaw().ExecuteScalar("SELECT features FROM predictions WHERE event_id = 'p-1'")!;
        var decoded = FeatureCodec.Decode(stored);
        Assert.Contains(decoded, f => f.Ordinal == -1 && f.UndeclaredName == "colour" && f.Value.Text == "red");
    }

    [Fact]
    public async Task Counts_add_up_across_events_and_batches_within_a_minute()
    {
        await Engine.PredictAsync(Model, Batch(
            Prediction("a", features: """{ "amount": -1, "age": 2, "country": "XX" }"""),
            Prediction("b", features: """{ "amount": "x", "country": "DE" }""")));
        await Engine.PredictAsync(Model, Batch(Prediction("c", features: """{ "amount": 1e6, "age": 2, "country": 1 }""")));

        Assert.Equal(new Quality(3, 0, 1, 2, 0, 0), Of("amount"));
        Assert.Equal(new Quality(3, 1, 0, 0, 0, 0), Of("age"));
        Assert.Equal(new Quality(3, 0, 1, 0, 1, 0), Of("country"));
    }

    [Fact]
    public async Task Events_in_different_minutes_are_counted_in_their_own_minute()
    {
        await Engine.PredictAsync(Model, Batch(
            Prediction("a", timestamp: "2026-11-23T12:00:59Z"),
            Prediction("b", timestamp: "2026-11-23T12:01:00Z")));

        Assert.Equal(1, Of("amount", Minute, Minute.AddMinutes(1)).Rows);
        Assert.Equal(1, Of("amount", Minute.AddMinutes(1), Minute.AddMinutes(2)).Rows);
    }

    [Fact]
    public async Task A_duplicate_event_is_not_counted_twice()
    {
        await Send("""{ "amount": -1, "age": 2, "country": "DE" }""");

        await Engine.PredictAsync(Model, Batch(Prediction("p-1", features: """{ "amount": -1, "age": 2, "country": "DE" }""")));

        Assert.Equal(new Quality(1, 0, 0, 1, 0, 0), Of("amount"));
    }
}
