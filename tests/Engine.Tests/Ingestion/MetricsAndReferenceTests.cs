using System.Text;
using Dapper;
using ModelWatch.Engine.Ingestion;
using ModelWatch.Engine.Tests.TestSupport;

namespace ModelWatch.Engine.Tests.Ingestion;

public sealed class MetricsAndReferenceTests : EngineWithModel
{
    private Task<IngestResult> Metrics(string json) => Engine.Ingestion.IngestMetricsAsync(Model, Encoding.UTF8.GetBytes(json));
    private Task<IngestResult> Reference(string version, string json) => Engine.Ingestion.UploadReferenceAsync(Engine.Registry.FindModel(Model.Id)!, version, Encoding.UTF8.GetBytes(json));

    [Fact]
    public async Task Operational_samples_and_costs_are_stored()
    {
        var result = await Metrics("""
            { "samples": [ { "timestamp": "2026-11-23T12:00:00Z", "cpuPercent": 41, "memoryMb": 812, "gpuPercent": 0, "errors": 2 } ],
              "costs": [ { "timestamp": "2026-11-23T12:00:00Z", "amountUsd": 3.2, "item": "gpu-node-hour" } ] }
            """);

        Assert.Equal(IngestStatus.Stored, result.Status);
        Assert.Equal(2, result.Receipt!.Accepted);
        using var connection = Engine.Database.OpenRaw();
        Assert.Equal((41.0, 812.0, 2L), connection.QuerySingle<(double, double, long)>("SELECT cpu_percent, memory_mb, errors FROM operational_samples"));
        Assert.Equal((3.2, "gpu-node-hour"), connection.QuerySingle<(double, string)>("SELECT amount_usd, item FROM cost_records"));
    }

    [Fact]
    public async Task A_bad_sample_refuses_the_samples_and_costs_together()
    {
        var result = await Metrics("""
            { "samples": [ { "timestamp": "2026-11-23T12:00:00Z", "cpuPercent": 41 }, { "timestamp": "2026-11-23T12:01:00Z", "cpuPercent": 140 } ],
              "costs": [ { "timestamp": "2026-11-23T12:00:00Z", "amountUsd": -3, "item": "" } ] }
            """);

        Assert.Equal(IngestStatus.Invalid, result.Status);
        Assert.Equal([(1, "samples.cpuPercent"), (0, "costs.amountUsd"), (0, "costs.item")], result.Errors.Select(e => (e.Index!.Value, e.Field)));
        Assert.Equal(0, Engine.Database.Count("operational_samples"));
        Assert.Equal(0, Engine.Database.Count("cost_records"));
    }

    [Fact]
    public async Task A_reference_upload_replaces_the_versions_baseline()
    {
        var rows = string.Join(", ", Enumerable.Range(0, 3).Select(i => $$"""{ "features": { "amount": {{i}}, "country": "DE" }, "prediction": 0.2, "label": 0 }"""));
        Assert.Equal(3, (await Reference("1.0.0", $$"""{ "rows": [ {{rows}} ] }""")).Receipt!.Accepted);

        var replaced = await Reference("1.0.0", """{ "rows": [ { "features": { "amount": 9 }, "prediction": 0.9, "label": 1 } ] }""");

        Assert.Equal(1, replaced.Receipt!.Accepted);
        Assert.Equal(1, Engine.Registry.ListVersions(Model).Single().ReferenceRows);
    }

    [Fact]
    public async Task A_reference_for_an_unknown_version_or_with_a_bad_row_is_refused_and_keeps_the_old_baseline()
    {
        await Reference("1.0.0", """{ "rows": [ { "features": { "amount": 1 }, "prediction": 0.2 } ] }""");

        var unknown = await Reference("7.0.0", """{ "rows": [ { "features": { "amount": 1 } } ] }""");
        var bad = await Reference("1.0.0", """{ "rows": [ { "features": { "amount": 1 } }, { "features": { "amount": 1 }, "prediction": 3 } ] }""");

        Assert.Equal(IngestStatus.Invalid, unknown.Status);
        Assert.Equal("version", Assert.Single(unknown.Errors).Field);
        Assert.Equal((1, "prediction"), (Assert.Single(bad.Errors).Index!.Value, bad.Errors[0].Field));
        Assert.Equal(1, Engine.Database.Count("reference_rows"));
    }
}

public sealed class BatchLimitErrorsTests() : EngineWithModel(new IngestionOptions { MaxEventsPerBatch = 2, MaxReferenceRows = 2 })
{
    [Fact]
    public async Task Too_many_metrics_items_are_refused_with_the_offending_field_listed()
    {
        var samples = string.Join(", ", Enumerable.Range(0, 3).Select(i => $$"""{ "timestamp": "2026-11-23T12:0{{i}}:00Z", "cpuPercent": 1 }"""));

        var result = await Engine.Ingestion.IngestMetricsAsync(Model, Encoding.UTF8.GetBytes($$"""{ "samples": [ {{samples}} ] }"""));

        Assert.Equal(IngestStatus.Invalid, result.Status);
        Assert.Equal("samples", Assert.Single(result.Errors).Field);
        Assert.Contains("2", result.Errors[0].Reason);
        Assert.Equal(0, Engine.Database.Count("operational_samples"));
    }

    [Fact]
    public async Task Too_many_reference_rows_are_refused_with_the_rows_field_listed()
    {
        var rows = string.Join(", ", Enumerable.Range(0, 3).Select(i => $$"""{ "features": { "amount": {{i}} } }"""));

        var result = await Engine.Ingestion.UploadReferenceAsync(Model, "1.0.0", Encoding.UTF8.GetBytes($$"""{ "rows": [ {{rows}} ] }"""));

        Assert.Equal(IngestStatus.Invalid, result.Status);
        Assert.Equal("rows", Assert.Single(result.Errors).Field);
        Assert.Equal(0, Engine.Database.Count("reference_rows"));
    }
}
