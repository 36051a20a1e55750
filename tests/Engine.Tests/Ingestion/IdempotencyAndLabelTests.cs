using Dapper;
using ModelWatch.Engine.Ingestion;
using ModelWatch.Engine.Registry;
using ModelWatch.Engine.Tests.TestSupport;
using static ModelWatch.Engine.Tests.TestSupport.Events;

namespace ModelWatch.Engine.Tests.Ingestion;

public sealed class IdempotencyAndLabelTests : EngineWithModel
{
    private ModelIngestionStats Stats => Engine.Registry.GetStats(Model);

    [Fact]
    public async Task Posting_the_same_batch_twice_stores_it_once_and_reports_the_retry_as_duplicates()
    {
        var batch = Many(4);
        var first = await Engine.PredictAsync(Model, batch);
        var rows = Engine.Database.Counts();

        var second = await Engine.PredictAsync(Model, batch);

        Assert.Equal(new WriteReceipt(4, 0), first.Receipt);
        Assert.Equal(new WriteReceipt(0, 4), second.Receipt);
        Assert.Equal(rows with { StatsTotal = rows.StatsTotal + 4 }, Engine.Database.Counts());
        Assert.Equal(new ModelIngestionStats(4, 0, 4, EngineHarness.Start), Stats);
    }

    [Fact]
    public async Task A_retry_keeps_the_first_stored_values()
    {
        await Engine.PredictAsync(Model, Batch(Prediction("p-1", "0.2")));

        await Engine.PredictAsync(Model, Batch(Prediction("p-1", "0.9")));

        Assert.Equal(0.2, Engine.Database.OpenRaw().ExecuteScalar<double>("SELECT prediction_num FROM predictions WHERE event_id = 'p-1'"));
    }

    [Fact]
    public async Task Duplicates_within_one_batch_are_counted()
    {
        var result = await Engine.PredictAsync(Model, Batch(Prediction("p-1"), Prediction("p-2"), Prediction("p-1"), Prediction("p-1")));

        Assert.Equal(new WriteReceipt(2, 2), result.Receipt);
        Assert.Equal(2, Engine.Database.Count("predictions"));
        Assert.Equal(new ModelIngestionStats(2, 0, 2, EngineHarness.Start), Stats);
    }

    [Fact]
    public async Task The_same_id_on_two_models_is_not_a_duplicate()
    {
        var other = Engine.Model(ModelTask.BinaryClassification, "churn-model", "growth");

        await Engine.PredictAsync(Model, Batch(Prediction("p-1")));
        var result = await Engine.PredictAsync(other, Batch(Prediction("p-1")));

        Assert.Equal(new WriteReceipt(1, 0), result.Receipt);
    }

    [Fact]
    public async Task A_partly_repeated_batch_accepts_only_the_new_events()
    {
        await Engine.PredictAsync(Model, Batch(Prediction("p-1"), Prediction("p-2")));

        var result = await Engine.PredictAsync(Model, Batch(Prediction("p-2"), Prediction("p-3")));

        Assert.Equal(new WriteReceipt(1, 1), result.Receipt);
        Assert.Equal(["p-1", "p-2", "p-3"], Engine.Database.OpenRaw().Query<string>("SELECT event_id FROM predictions ORDER BY event_id"));
    }

    [Fact]
    public async Task Last_event_time_is_the_newest_event_not_the_last_sent()
    {
        await Engine.PredictAsync(Model, Batch(Prediction("new", timestamp: "2026-11-23T15:00:00Z")));
        await Engine.PredictAsync(Model, Batch(Prediction("old", timestamp: "2026-11-23T09:00:00Z")));

        Assert.Equal(new DateTimeOffset(2026, 11, 23, 15, 0, 0, TimeSpan.Zero), Stats.LastEventAt);
    }

    private long JoinedPairs(string id) => Engine.Database.Scalar("""
        SELECT COUNT(*) FROM labels l JOIN predictions p ON p.model_pk = l.model_pk AND p.event_id = l.prediction_id
        WHERE l.model_pk = @Pk AND l.prediction_id = @id
        """, new { Model.Pk, id });

    [Fact]
    public async Task A_label_after_its_prediction_is_matched()
    {
        await Engine.PredictAsync(Model, Batch(Prediction("p-1")));

        var result = await Engine.LabelAsync(Model, Labels(("p-1", "1")));

        Assert.Equal(IngestStatus.Stored, result.Status);
        Assert.Equal(1, result.Receipt!.Matched);
        Assert.Equal(0, result.Receipt.Unmatched);
        Assert.Equal(1, JoinedPairs("p-1"));
        Assert.Equal(1, Stats.Labels);
    }

    [Fact]
    public async Task A_label_before_its_prediction_is_kept_unmatched_and_joins_when_the_prediction_arrives()
    {
        var early = await Engine.LabelAsync(Model, Labels(("p-late", "0")));
        Assert.Equal(0, early.Receipt!.Matched);
        Assert.Equal(1, early.Receipt.Unmatched);
        Assert.Equal(0, JoinedPairs("p-late"));

        await Engine.PredictAsync(Model, Batch(Prediction("p-late", "0.1")));

        Assert.Equal(1, JoinedPairs("p-late"));
        Assert.Equal(0.0, Engine.Database.OpenRaw().ExecuteScalar<double>("SELECT label_num FROM labels WHERE prediction_id = 'p-late'"));
    }

    [Fact]
    public async Task Model_stats_count_distinct_labelled_predictions()
    {
        await Engine.PredictAsync(Model, Batch(Prediction("p-1"), Prediction("p-2")));

        await Engine.LabelAsync(Model, Labels(("p-1", "1"), ("p-1", "0")));
        await Engine.LabelAsync(Model, Labels(("p-1", "true"), ("p-2", "false"), ("p-3", "1")));

        Assert.Equal(3, Stats.Labels);
        Assert.Equal(3, Engine.Database.Count("labels"));
        Assert.Equal(1.0, Engine.Database.OpenRaw().ExecuteScalar<double>("SELECT label_num FROM labels WHERE prediction_id = 'p-1'")); // the newest label wins
    }

    [Theory]
    [InlineData(ModelTask.BinaryClassification, "0.5")]
    [InlineData(ModelTask.BinaryClassification, "\"yes\"")]
    [InlineData(ModelTask.MulticlassClassification, "3")]
    [InlineData(ModelTask.Regression, "\"high\"")]
    public async Task A_label_of_the_wrong_kind_refuses_the_whole_batch(ModelTask task, string label)
    {
        var model = task == ModelTask.BinaryClassification ? Model : Engine.Model(task, "m-" + task.ToName());
        var valid = task == ModelTask.MulticlassClassification ? "\"a\"" : "1";

        var result = await Engine.LabelAsync(model, Labels(("p-1", valid), ("p-2", label)));

        Assert.Equal(IngestStatus.Invalid, result.Status);
        var error = Assert.Single(result.Errors);
        Assert.Equal((1, "label"), (error.Index!.Value, error.Field));
        Assert.Equal(0, Engine.Database.Count("labels"));
        Assert.Equal(0, Engine.Registry.GetStats(model).Labels);
    }

    [Fact]
    public async Task A_label_without_a_prediction_id_or_with_a_bad_timestamp_is_refused()
    {
        var result = await Engine.LabelAsync(Model, """{ "labels": [ { "label": 1 }, { "predictionId": "p-1", "label": 1, "timestamp": "later" } ] }""");

        Assert.Equal([(0, "predictionId"), (1, "timestamp")], result.Errors.Select(e => (e.Index!.Value, e.Field)));
        Assert.Equal(0, Engine.Database.Count("labels"));
    }

    [Fact]
    public async Task A_label_without_a_timestamp_takes_the_time_of_receipt()
    {
        await Engine.LabelAsync(Model, """{ "labels": [ { "predictionId": "p-1", "label": 1 } ] }""");

        Assert.Equal(EngineHarness.Start.ToUnixTimeMilliseconds(), Engine.Database.Scalar("SELECT ts FROM labels"));
    }
}
