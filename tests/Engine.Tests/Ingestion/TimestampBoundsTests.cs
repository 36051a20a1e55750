using ModelWatch.Engine.Ingestion;
using ModelWatch.Engine.Tests.TestSupport;
using static ModelWatch.Engine.Tests.TestSupport.Events;

namespace ModelWatch.Engine.Tests.Ingestion;

/// <summary>Event times far in the future or older than raw retention are refused, naming the event and the field.</summary>
public sealed class TimestampBoundsTests() : EngineWithModel(new IngestionOptions())
{
    [Theory]
    [InlineData("9999-01-01T00:00:00Z", "ahead of the server clock")]
    [InlineData("2026-11-23T12:06:00Z", "ahead of the server clock")]
    [InlineData("2026-11-01T00:00:00Z", "older than 14 days")]
    public async Task A_prediction_outside_the_accepted_span_is_refused_and_nothing_is_stored(string time, string reason)
    {
        var result = await Engine.PredictAsync(Model, $$"""{ "events": [ { "id": "ok", "timestamp": "{{Time}}", "version": "1.0.0", "prediction": 0.1 }, { "id": "bad", "timestamp": "{{time}}", "version": "1.0.0", "prediction": 0.1 } ] }""");

        Assert.Equal(IngestStatus.Invalid, result.Status);
        var error = Assert.Single(result.Errors);
        Assert.Equal(1, error.Index);
        Assert.Equal("timestamp", error.Field);
        Assert.Contains(reason, error.Reason);
        Assert.Equal(0, Engine.Database.Count("predictions"));
    }

    [Fact]
    public async Task A_cost_dated_in_the_year_9999_is_refused()
    {
        var result = await Engine.Ingestion.IngestMetricsAsync(Model, """{ "costs": [ { "timestamp": "9999-12-31T00:00:00Z", "amountUsd": 99999, "item": "gpu" } ] }"""u8.ToArray());

        Assert.Equal(IngestStatus.Invalid, result.Status);
        Assert.Equal("costs.timestamp", Assert.Single(result.Errors).Field);
        Assert.Equal(0, Engine.Database.Count("cost_records"));
    }

    [Fact]
    public async Task A_prediction_within_the_skew_and_the_retention_is_stored()
    {
        var result = await Engine.PredictAsync(Model, """{ "events": [ { "id": "edge-future", "timestamp": "2026-11-23T12:04:59Z", "version": "1.0.0", "prediction": 0.1 }, { "id": "edge-old", "timestamp": "2026-11-09T12:00:01Z", "version": "1.0.0", "prediction": 0.1 } ] }""");

        Assert.Equal(IngestStatus.Stored, result.Status);
        Assert.Equal(2, Engine.Database.Count("predictions"));
    }
}
