using Dapper;
using ModelWatch.Engine.Ingestion;
using ModelWatch.Engine.Tests.TestSupport;
using static ModelWatch.Engine.Tests.TestSupport.Events;

namespace ModelWatch.Engine.Tests.Ingestion;

/// <summary>Feature-level problems are data: the event is stored and the problem counted per model, minute and feature.</summary>
public sealed class FeatureQualityTests : EngineWithModel
{
    private sealed record Quality(long Rows, long Missing, long TypeErrors, long OutOfBounds, long UnknownCategory, long Undeclared);

    private Quality Of(string feature)
    {
        using var connection = Engine.Database.OpenRaw();
        return connection.QuerySingle<Quality>("""
            SELECT COALESCE(SUM(rows), 0) AS Rows, COALESCE(SUM(missing), 0) AS Missing, COALESCE(SUM(type_errors), 0) AS TypeErrors,
                   COALESCE(SUM(out_of_bounds), 0) AS OutOfBounds, COALESCE(SUM(unknown_category), 0) AS UnknownCategory, COALESCE(SUM(undeclared), 0) AS Undeclared
            FROM feature_quality_minute WHERE model_pk = @Pk AND feature = @feature
            """, new { Model.Pk, feature });
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
        Assert.Equal(EngineHarness.Start.ToUnixTimeMilliseconds() / 60_000, Engine.Database.Scalar("SELECT MIN(minute) FROM feature_quality_minute"));
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

        Assert.Equal(2, Engine.Database.Scalar("SELECT COUNT(DISTINCT minute) FROM feature_quality_minute WHERE feature = 'amount'"));
    }

    [Fact]
    public async Task A_duplicate_event_is_not_counted_twice()
    {
        await Send("""{ "amount": -1, "age": 2, "country": "DE" }""");

        await Engine.PredictAsync(Model, Batch(Prediction("p-1", features: """{ "amount": -1, "age": 2, "country": "DE" }""")));

        Assert.Equal(new Quality(1, 0, 0, 1, 0, 0), Of("amount"));
    }
}
