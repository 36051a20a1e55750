using ModelWatch.Engine.Ingestion;
using ModelWatch.Engine.Registry;
using ModelWatch.Engine.Tests.TestSupport;
using static ModelWatch.Engine.Tests.TestSupport.Events;

namespace ModelWatch.Engine.Tests.Ingestion;

/// <summary>Every envelope rule refuses the whole batch, names the offending event and field, and stores nothing.</summary>
public sealed class PredictionValidationTests : IAsyncLifetime
{
    private EngineHarness _engine = null!;
    private EventCounts _before = null!;

    public async Task InitializeAsync()
    {
        _engine = await EngineHarness.StartAsync(new IngestionOptions { MaxEventsPerBatch = 5 });
        // Something already stored, so "unchanged" is not the same as "empty".
        var model = _engine.Model();
        Assert.Equal(IngestStatus.Stored, (await _engine.PredictAsync(model, Batch(Prediction("existing")))).Status);
        _before = _engine.Database.Counts();
    }

    public async Task DisposeAsync() => await _engine.DisposeAsync();

    private async Task<IngestResult> Refused(string body, ModelTask task = ModelTask.BinaryClassification)
    {
        var model = task == ModelTask.BinaryClassification ? _engine.Registry.FindModel("fraud-detector")! : _engine.Model(task, "model-" + task.ToName());
        var before = _engine.Database.Counts();
        var result = await _engine.PredictAsync(model, body);
        Assert.Equal(IngestStatus.Invalid, result.Status);
        Assert.False(string.IsNullOrWhiteSpace(result.Problem));
        Assert.Equal(before, _engine.Database.Counts());
        return result;
    }

    private static void AssertListed(IngestResult result, int? index, string field) =>
        Assert.Contains(result.Errors, e => e.Index == index && e.Field == field);

    [Theory]
    [InlineData("{ \"events\": [ { \"id\": \"p-1\", ")]
    [InlineData("not json at all")]
    [InlineData("{ \"events\": [ { \"id\": 'p-1' } ] }")]
    public async Task Malformed_JSON_is_refused_and_stores_nothing(string body)
    {
        var result = await Refused(body);

        Assert.Contains("not valid JSON", result.Problem);
    }

    [Fact]
    public async Task A_body_that_starts_with_a_UTF8_byte_order_mark_is_accepted()
    {
        var model = _engine.Registry.FindModel("fraud-detector")!;
        var body = System.Text.Encoding.UTF8.GetPreamble().Concat(System.Text.Encoding.UTF8.GetBytes(Batch(Prediction("p-bom")))).ToArray();

        var result = await _engine.Ingestion.IngestPredictionsAsync(model, body);

        Assert.Equal(IngestStatus.Stored, result.Status);
        Assert.Equal(1L, _engine.Database.Scalar("SELECT COUNT(*) FROM predictions WHERE event_id = 'p-bom'"));
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("{ \"predictions\": [] }")]
    [InlineData("{ \"events\": {} }")]
    [InlineData("{ \"events\": [] }")]
    public async Task A_body_without_a_non_empty_events_array_is_refused(string body)
    {
        var result = await Refused(body);

        AssertListed(result, null, "events");
    }

    [Theory]
    [InlineData("\"id\": \"\",")]
    [InlineData("\"id\": 123,")]
    [InlineData("\"id\": null,")]
    [InlineData("")]
    public async Task A_missing_or_unusable_id_is_refused(string id)
    {
        var result = await Refused(Batch($$"""{ {{id}} "timestamp": "{{Time}}", "version": "1.0.0", "features": {}, "prediction": 0.5 }"""));

        AssertListed(result, 0, "id");
        Assert.Single(result.Errors);
    }

    [Fact]
    public async Task An_id_longer_than_the_limit_is_refused()
    {
        var result = await Refused(Batch(Prediction(new string('x', PredictionBatchParser.MaxEventIdLength + 1))));

        AssertListed(result, 0, "id");
    }

    [Theory]
    [InlineData("yesterday")]
    [InlineData("2026-11-23T12:00:00")] // no offset: every server would read it differently
    [InlineData("2026-11-23")]
    [InlineData("2026-13-45T12:00:00Z")]
    [InlineData("2026-11-23T12:00:00+1")]
    [InlineData("2026-11-23T12:00:00+010")]
    [InlineData("2026-11-23T12:00:00+2500")]
    [InlineData("2026-11-23T12:00:00+0160")]
    [InlineData("2026-11-23T12:00:00 +0100")]
    public async Task An_unparsable_timestamp_or_one_without_an_offset_is_refused(string timestamp)
    {
        var result = await Refused(Batch(Prediction("p-1", timestamp: timestamp)));

        AssertListed(result, 0, "timestamp");
        Assert.Contains("UTC offset", result.Errors[0].Reason);
    }

    [Theory]
    [InlineData("2026-11-23T13:00:00+01:00")]
    [InlineData("2026-11-23T13:00:00+0100")] // ISO 8601 basic offset, as strftime's %z writes it
    [InlineData("2026-11-23T13:00:00+01")] // hours only
    [InlineData("2026-11-23T10:30:00.000-0130")]
    public async Task Timestamps_with_an_offset_are_accepted_and_stored_in_UTC(string timestamp)
    {
        var model = _engine.Registry.FindModel("fraud-detector")!;

        var result = await _engine.PredictAsync(model, Batch(Prediction("p-offset", timestamp: timestamp)));

        Assert.Equal(IngestStatus.Stored, result.Status);
        Assert.Equal(new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds(), _engine.Database.Scalar("SELECT ts FROM predictions WHERE event_id = 'p-offset'"));
    }

    [Fact]
    public async Task A_missing_timestamp_is_refused()
    {
        var result = await Refused(Batch("""{ "id": "p-1", "version": "1.0.0", "features": {}, "prediction": 0.5 }"""));

        AssertListed(result, 0, "timestamp");
    }

    [Fact]
    public async Task A_version_the_model_does_not_have_is_refused_naming_it()
    {
        var result = await Refused(Batch(Prediction("p-1", version: "9.9.9")));

        AssertListed(result, 0, "version");
        Assert.Contains("'9.9.9'", result.Errors[0].Reason);
        Assert.Contains("register it first", result.Errors[0].Reason);
    }

    [Fact]
    public async Task A_version_that_could_never_be_registered_is_refused_saying_what_versions_look_like()
    {
        var result = await Refused(Batch(Prediction("p-1", version: "models/fraud/1.0.0")));

        AssertListed(result, 0, "version");
        Assert.Contains("'models/fraud/1.0.0'", result.Errors[0].Reason);
        Assert.Contains(VersionName.Rule, result.Errors[0].Reason);
        Assert.DoesNotContain("register it first", result.Errors[0].Reason);
    }

    [Fact]
    public async Task A_missing_version_is_refused()
    {
        var result = await Refused(Batch($$"""{ "id": "p-1", "timestamp": "{{Time}}", "features": {}, "prediction": 0.5 }"""));

        AssertListed(result, 0, "version");
    }

    [Theory]
    [InlineData("1.5")]
    [InlineData("-0.1")]
    [InlineData("\"0.5\"")]
    [InlineData("\"fraud\"")]
    [InlineData("true")]
    [InlineData("null")]
    [InlineData("NaN")]
    public async Task A_binary_prediction_that_is_not_a_probability_is_refused(string prediction)
    {
        var result = await Refused(Batch(Prediction("p-1", prediction)));

        AssertListed(result, 0, "prediction");
        Assert.Contains("probability", result.Errors[0].Reason);
    }

    [Theory]
    [InlineData("0.7")]
    [InlineData("\"\"")]
    [InlineData("null")]
    [InlineData("[\"cat\"]")]
    public async Task A_multiclass_prediction_that_is_not_a_class_name_is_refused(string prediction)
    {
        var result = await Refused(Batch(Prediction("p-1", prediction)), ModelTask.MulticlassClassification);

        AssertListed(result, 0, "prediction");
        Assert.Contains("class name", result.Errors[0].Reason);
    }

    [Theory]
    [InlineData("\"12.5\"")]
    [InlineData("\"high\"")]
    [InlineData("null")]
    [InlineData("Infinity")]
    [InlineData("-Infinity")]
    [InlineData("NaN")]
    public async Task A_regression_prediction_that_is_not_a_finite_number_is_refused(string prediction)
    {
        var result = await Refused(Batch(Prediction("p-1", prediction)), ModelTask.Regression);

        AssertListed(result, 0, "prediction");
        Assert.Contains("finite number", result.Errors[0].Reason);
    }

    [Fact]
    public async Task Class_probabilities_are_refused_on_a_binary_model_and_when_out_of_range_on_a_multiclass_one()
    {
        var binary = await Refused(Batch(Prediction("p-1").Replace("\"latencyMs\"", "\"probabilities\": { \"a\": 0.5 }, \"latencyMs\"")));
        AssertListed(binary, 0, "probabilities");

        var multiclass = await Refused(Batch(Prediction("p-1", "\"a\"").Replace("\"latencyMs\"", "\"probabilities\": { \"a\": 1.5 }, \"latencyMs\"")), ModelTask.MulticlassClassification);
        AssertListed(multiclass, 0, "probabilities");
    }

    [Fact]
    public async Task A_missing_prediction_is_refused()
    {
        var result = await Refused(Batch($$"""{ "id": "p-1", "timestamp": "{{Time}}", "version": "1.0.0", "features": {} }"""));

        AssertListed(result, 0, "prediction");
    }

    [Theory]
    [InlineData("latencyMs", "-1")]
    [InlineData("latencyMs", "\"fast\"")]
    [InlineData("costUsd", "-0.5")]
    public async Task A_negative_or_non_numeric_latency_or_cost_is_refused(string field, string value)
    {
        var body = Batch(Prediction("p-1").Replace($"\"{field}\": ", $"\"{field}\": {value}, \"_was\": "));

        var result = await Refused(body);

        AssertListed(result, 0, field);
    }

    [Fact]
    public async Task Features_that_are_not_an_object_are_refused()
    {
        var result = await Refused(Batch(Prediction("p-1", features: "[1, 2]")));

        AssertListed(result, 0, "features");
    }

    [Fact]
    public async Task An_event_that_is_not_an_object_is_refused()
    {
        var result = await Refused(Batch(Prediction("p-1"), "42"));

        AssertListed(result, 1, "event");
    }

    [Fact]
    public async Task More_events_than_the_configured_limit_are_refused_naming_the_limit()
    {
        var result = await Refused(Many(6));

        AssertListed(result, null, "events");
        Assert.Contains("5", result.Problem);
    }

    [Fact]
    public async Task Exactly_the_configured_limit_is_accepted()
    {
        var result = await _engine.PredictAsync(_engine.Registry.FindModel("fraud-detector")!, Many(5));

        Assert.Equal(IngestStatus.Stored, result.Status);
        Assert.Equal(5, result.Receipt!.Accepted);
    }

    [Fact]
    public async Task A_batch_where_only_the_third_of_five_events_is_bad_stores_nothing()
    {
        var events = Enumerable.Range(0, 5).Select(i => Prediction("mixed-" + i, i == 2 ? "7" : "0.5")).ToArray();

        var result = await Refused(Batch(events));

        var error = Assert.Single(result.Errors);
        Assert.Equal((int?)2, error.Index);
        Assert.Equal("prediction", error.Field);
        Assert.Equal(0, _engine.Database.Scalar("SELECT COUNT(*) FROM predictions WHERE event_id LIKE 'mixed-%'"));
    }

    [Fact]
    public async Task Every_offending_event_is_listed_not_only_the_first()
    {
        var result = await Refused(Batch(
            Prediction("ok-0"),
            Prediction("", "2"),
            Prediction("ok-2", version: "0.0.1"),
            Prediction("ok-3", timestamp: "soon")));

        Assert.Equal(
            [(1, "id"), (1, "prediction"), (2, "version"), (3, "timestamp")],
            result.Errors.Select(e => (e.Index!.Value, e.Field)));
        Assert.Equal("4 problems in the events; nothing from this batch was stored.", result.Problem);
    }

    [Fact]
    public async Task The_database_is_unchanged_after_all_of_the_refusals_above()
    {
        await Refused(Batch(Prediction("p-1", "9")));
        await Refused("{");

        Assert.Equal(_before, _engine.Database.Counts());
        Assert.Equal(new ModelIngestionStats(1, 0, 0, EngineHarness.Start), _engine.Registry.GetStats(_engine.Registry.FindModel("fraud-detector")!));
    }
}
