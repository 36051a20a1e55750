using System.Globalization;
using System.Text;
using System.Text.Json;
using Dapper;
using ModelWatch.Engine.Ingestion;
using ModelWatch.Engine.Registry;
using ModelWatch.Engine.Windows;

namespace ModelWatch.Engine.Tests.Windows;

public sealed class BaselineAndErrorAttributionTests
{
    private static async Task Predict(WindowHarness h, ModelDefinition model, string version, int count, int failedEvery, double shift = 0, string prefix = "p")
    {
        var at = h.Clock.GetUtcNow().ToString("O", CultureInfo.InvariantCulture);
        var random = new Random(count + prefix.Length);
        var body = JsonSerializer.Serialize(new
        {
            events = Enumerable.Range(0, count).Select(i => new Dictionary<string, object?>
            {
                ["id"] = $"{prefix}{version}-{i}", ["timestamp"] = at, ["version"] = version,
                ["features"] = new { amount = random.NextDouble() * 100 + shift, country = "DE" },
                ["prediction"] = random.NextDouble(),
                ["error"] = failedEvery > 0 && i % failedEvery == 0,
            }),
        });
        var result = await h.Ingestion.IngestPredictionsAsync(h.Registry.FindModel(model.Id)!, Encoding.UTF8.GetBytes(body));
        Assert.Equal(IngestStatus.Stored, result.Status);
        await h.Buckets.FlushAsync();
    }

    private static async Task Reference(WindowHarness h, ModelDefinition model, string version, double shift)
    {
        var random = new Random(7);
        var body = JsonSerializer.Serialize(new { rows = Enumerable.Range(0, 2_000).Select(_ => new { features = new { amount = random.NextDouble() * 100 + shift, country = "DE" }, prediction = random.NextDouble() }) });
        var result = await h.Ingestion.UploadReferenceAsync(h.Registry.FindModel(model.Id)!, version, Encoding.UTF8.GetBytes(body));
        Assert.Equal(IngestStatus.Stored, result.Status);
        await h.Buckets.FlushAsync();
    }

    private static async Task<ModelDefinition> TwoVersions(WindowHarness h)
    {
        var model = h.Model(ModelTask.BinaryClassification);
        Assert.True(h.Registry.CreateVersion(model.Id, new NewVersion("2.0.0"), "test").IsOk);
        return h.Registry.FindModel(model.Id)!;
    }

    [Fact]
    public async Task Each_version_shows_its_own_error_rate_when_every_error_names_its_version()
    {
        await using var h = await WindowHarness.StartAsync();
        var model = await TwoVersions(h);
        await Predict(h, model, "1.0.0", 300, failedEvery: 10); // 30 flagged predictions
        await Predict(h, model, "2.0.0", 100, failedEvery: 0);
        var at = h.Clock.GetUtcNow().ToString("O");
        await h.MetricsAsync(model, $$"""{ "samples": [ { "timestamp": "{{at}}", "errors": 25, "version": "2.0.0" } ] }""");

        var v1 = h.Summaries.GetSummary(model.Id, SummaryWindow.OneHour, "1.0.0")!.Traffic;
        var v2 = h.Summaries.GetSummary(model.Id, SummaryWindow.OneHour, "2.0.0")!.Traffic;
        var all = h.Summaries.GetSummary(model.Id, SummaryWindow.OneHour)!.Traffic;

        Assert.Equal((30, 0.1, false), (v1.Errors, v1.ErrorRate!.Value, v1.ErrorsModelWide));
        Assert.Equal((25, 0.2, false), (v2.Errors, v2.ErrorRate!.Value, v2.ErrorsModelWide));
        Assert.Equal(55, all.Errors);
        Assert.Equal(55.0 / 425, all.ErrorRate!.Value, 12);
    }

    [Fact]
    public async Task Errors_that_name_no_version_make_a_version_show_the_model_wide_rate_flagged_as_such()
    {
        await using var h = await WindowHarness.StartAsync();
        var model = await TwoVersions(h);
        await Predict(h, model, "1.0.0", 100, failedEvery: 10);
        await Predict(h, model, "2.0.0", 100, failedEvery: 0);
        var at = h.Clock.GetUtcNow().ToString("O");
        await h.MetricsAsync(model, $$"""{ "samples": [ { "timestamp": "{{at}}", "errors": 10 } ] }""");

        var v2 = h.Summaries.GetSummary(model.Id, SummaryWindow.OneHour, "2.0.0")!.Traffic;
        Assert.True(v2.ErrorsModelWide);
        Assert.Equal(20, v2.Errors);
        Assert.Equal(20.0 / 210, v2.ErrorRate!.Value, 12);
        var point = h.Summaries.GetLatestPoint(model.Id, SummaryWindow.OneHour, "2.0.0")!;
        Assert.Equal(20, point.Errors);
    }

    [Fact]
    public async Task A_sample_naming_an_unknown_version_is_refused_with_the_field()
    {
        await using var h = await WindowHarness.StartAsync();
        var model = h.Model(ModelTask.BinaryClassification);
        var at = h.Clock.GetUtcNow().ToString("O");
        var result = await h.Ingestion.IngestMetricsAsync(model, Encoding.UTF8.GetBytes($$"""{ "samples": [ { "timestamp": "{{at}}", "errors": 1, "version": "9.9.9" } ] }"""));
        Assert.Equal(IngestStatus.Invalid, result.Status);
        Assert.Contains(result.Errors, e => e.Field == "samples.version");
    }

    [Fact]
    public async Task Error_flags_survive_a_restart()
    {
        var database = new TestSupport.TempDatabase { KeepFile = true };
        await using (var h = await WindowHarness.StartAsync(database))
        {
            var model = await TwoVersions(h);
            await Predict(h, model, "1.0.0", 100, failedEvery: 4);
            var at = h.Clock.GetUtcNow().ToString("O");
            await h.MetricsAsync(model, $$"""{ "samples": [ { "timestamp": "{{at}}", "errors": 5, "version": "1.0.0" } ] }""");
        }
        database.KeepFile = false;
        await using var again = await WindowHarness.StartAsync(database);
        var traffic = again.Summaries.GetSummary("fraud-detector", SummaryWindow.OneHour, "1.0.0")!.Traffic;
        Assert.Equal((30, false), (traffic.Errors, traffic.ErrorsModelWide));
    }

    [Fact]
    public async Task A_production_promotion_changes_the_baseline_through_the_stamp_without_touching_the_buckets()
    {
        await using var h = await WindowHarness.StartAsync();
        var model = await TwoVersions(h);
        await Reference(h, model, "1.0.0", shift: 0);
        await Reference(h, model, "2.0.0", shift: 500);
        await Predict(h, model, "1.0.0", 2_000, failedEvery: 0);
        var buckets = h.Buckets.Buckets(model);

        var before = h.Summaries.GetSummary(model.Id, SummaryWindow.OneHour)!;
        Assert.Contains("version 2.0.0", before.Drift.Reference); // newest version with a reference
        Assert.True(before.Drift.Features.Single(f => f.Feature == "amount").Drifted);

        // Another process promotes 1.0.0: only the stamp tells this one.
        using (var connection = h.Database.Connections.Open())
            connection.Execute("INSERT INTO model_aliases (model_pk, alias, version_pk, set_by, set_at) VALUES (@Model, 'production', @Version, 'test', 0)",
                new { Model = model.Pk, Version = model.VersionKeys["1.0.0"] });
        h.Clock.Advance(Baselines.StampCheckInterval + TimeSpan.FromSeconds(1));

        var after = h.Summaries.GetSummary(model.Id, SummaryWindow.OneHour)!;
        Assert.Contains("version 1.0.0", after.Drift.Reference);
        var amountAfter = after.Drift.Features.Single(f => f.Feature == "amount");
        Assert.False(amountAfter.Drifted, $"{amountAfter.Method} {amountAfter.Value} D {amountAfter.KsStatistic} n {amountAfter.ReferenceSize} m {amountAfter.CurrentSize}");
        Assert.Same(buckets, h.Buckets.Buckets(model));
        Assert.Equal(2_000, after.Traffic.Predictions);
    }

    [Fact]
    public async Task An_invalidation_in_this_process_takes_effect_at_once()
    {
        await using var h = await WindowHarness.StartAsync();
        var model = await TwoVersions(h);
        await Reference(h, model, "1.0.0", shift: 0);
        await Reference(h, model, "2.0.0", shift: 500);
        Assert.Contains("2.0.0", h.Summaries.GetSummary(model.Id, SummaryWindow.OneHour)!.Drift.Reference);
        using (var connection = h.Database.Connections.Open())
            connection.Execute("INSERT INTO model_aliases (model_pk, alias, version_pk, set_by, set_at) VALUES (@Model, 'production', @Version, 'test', 0)",
                new { Model = model.Pk, Version = model.VersionKeys["1.0.0"] });
        h.Baselines.Invalidate(model);
        Assert.Contains("1.0.0", h.Summaries.GetSummary(model.Id, SummaryWindow.OneHour)!.Drift.Reference);
    }

    [Fact]
    public async Task Numerical_drift_carries_the_ks_statistic_and_names_its_binning()
    {
        await using var h = await WindowHarness.StartAsync();
        var model = h.Model(ModelTask.BinaryClassification);
        await Reference(h, model, "1.0.0", shift: 0);
        await Predict(h, model, "1.0.0", 400, failedEvery: 0, shift: 30);

        var summary = h.Summaries.GetSummary(model.Id, SummaryWindow.OneHour)!;
        var amount = summary.Drift.Features.Single(f => f.Feature == "amount");
        Assert.InRange(amount.KsStatistic!.Value, 0.25, 0.35); // uniform(0,100) shifted by 30: D = 0.3
        Assert.Equal("reference-quantiles", amount.Binning);
        Assert.Equal(12, amount.Distribution!.Labels.Count); // ten reference deciles plus the two tails
        Assert.NotNull(summary.Predictions.Drift!.KsStatistic);
        Assert.Equal("categories", summary.Drift.Features.Single(f => f.Feature == "country").Binning);
    }
}
