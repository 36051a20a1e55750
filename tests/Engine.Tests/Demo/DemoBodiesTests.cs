using System.Text;
using ModelWatch.Engine.Demo;

namespace ModelWatch.Engine.Tests.Demo;

/// <summary>The demo posts exactly the JSON a sender would write, byte for byte.</summary>
public class DemoBodiesTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 23, 13, 0, 0, TimeSpan.FromHours(1));

    private static readonly DemoDraw Draw = new([new("amount", 120.5), new("country", "DE")], 0.83, 1, new Dictionary<string, double> { ["cat"] = 0.7 });

    [Fact]
    public void A_predictions_body_has_every_envelope_field_in_utc()
    {
        var body = DemoBodies.Predictions([new DemoPrediction("p-1", At, "1.1.0", Draw, 12.5, 0.25)]);

        Assert.Equal("""{"events":[{"id":"p-1","timestamp":"2026-11-23T12:00:00Z","version":"1.1.0","features":{"amount":120.5,"country":"DE"},"prediction":0.83,"probabilities":{"cat":0.7},"latencyMs":12.5,"costUsd":0.25}]}""",
            Encoding.UTF8.GetString(body));
    }

    [Fact]
    public void A_labels_body_lists_each_label()
    {
        var body = DemoBodies.Labels([new DemoLabel("p-1", 1, At), new DemoLabel("p-2", "cat", At)]);

        Assert.Equal("""{"labels":[{"predictionId":"p-1","label":1,"timestamp":"2026-11-23T12:00:00Z"},{"predictionId":"p-2","label":"cat","timestamp":"2026-11-23T12:00:00Z"}]}""",
            Encoding.UTF8.GetString(body));
    }

    [Fact]
    public void A_metrics_body_leaves_out_an_empty_list()
    {
        var both = DemoBodies.Metrics([new DemoSample(At, 41.5, 812, 3, 2)], [new DemoCost(At, 3.2, "gpu-node-hour")]);
        var costsOnly = DemoBodies.Metrics([], [new DemoCost(At, 3.2, "gpu-node-hour")]);

        Assert.Equal("""{"samples":[{"timestamp":"2026-11-23T12:00:00Z","cpuPercent":41.5,"memoryMb":812,"gpuPercent":3,"errors":2}],"costs":[{"timestamp":"2026-11-23T12:00:00Z","amountUsd":3.2,"item":"gpu-node-hour"}]}""",
            Encoding.UTF8.GetString(both));
        Assert.Equal("""{"costs":[{"timestamp":"2026-11-23T12:00:00Z","amountUsd":3.2,"item":"gpu-node-hour"}]}""", Encoding.UTF8.GetString(costsOnly));
    }

    [Fact]
    public void A_reference_body_has_features_prediction_and_label_per_row()
    {
        var body = DemoBodies.Reference([Draw with { Probabilities = null }]);

        Assert.Equal("""{"rows":[{"features":{"amount":120.5,"country":"DE"},"prediction":0.83,"label":1}]}""", Encoding.UTF8.GetString(body));
    }
}
