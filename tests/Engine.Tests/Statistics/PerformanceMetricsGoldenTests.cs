using ModelWatch.Engine.Statistics.Performance;

namespace ModelWatch.Engine.Tests.Statistics;

/// <summary>Agreement with scikit-learn to 1e-9 on the datasets of tests/golden/generate.py.</summary>
public class PerformanceMetricsGoldenTests
{
    public static TheoryData<string> BinaryCases => Golden.Names("performance_binary.json");

    public static TheoryData<string> MulticlassCases => Golden.Names("performance_multiclass.json");

    [Theory]
    [MemberData(nameof(BinaryCases))]
    public void Binary_metrics_match_sklearn(string name)
    {
        var golden = Golden.Case("performance_binary.json", name);
        var expected = golden.Expected();
        var labels = golden.GetProperty("labels").EnumerateArray().Select(v => v.GetInt32() == 1).ToArray();

        var result = BinaryClassification.Evaluate(golden.Doubles("scores"), labels, golden.Number("threshold"));

        Golden.Close(expected.Number("accuracy"), result.Accuracy.Value);
        Golden.Close(expected.Number("precision"), result.Precision.Value);
        Golden.Close(expected.Number("recall"), result.Recall.Value);
        Golden.Close(expected.Number("f1"), result.F1.Value);
        Golden.Close(expected.Number("rocAuc"), result.RocAuc.Value);
        Golden.Close(expected.Number("logLoss"), result.LogLoss.Value);
        Assert.Equal(
            new BinaryConfusionMatrix(
                expected.GetProperty("tn").GetInt64(), expected.GetProperty("fp").GetInt64(),
                expected.GetProperty("fn").GetInt64(), expected.GetProperty("tp").GetInt64()),
            result.Confusion);
    }

    [Theory]
    [MemberData(nameof(MulticlassCases))]
    public void Multiclass_metrics_match_sklearn(string name)
    {
        var golden = Golden.Case("performance_multiclass.json", name);
        var expected = golden.Expected();

        var result = MulticlassClassification.Evaluate(golden.Strings("predicted"), golden.Strings("labels"));

        Assert.Equal(expected.Strings("classes"), result.Classes);
        Golden.Close(expected.Number("accuracy"), result.Accuracy.Value);
        Golden.Close(expected.Number("macroF1"), result.MacroF1.Value);
        Golden.Close(expected.Number("weightedF1"), result.WeightedF1.Value);
        var precision = expected.Doubles("precision");
        var recall = expected.Doubles("recall");
        for (var k = 0; k < result.Classes.Count; k++)
        {
            var c = result.PerClass[k];
            // sklearn reports 0 where we report "undefined, because ..." (zero_division=0).
            Golden.Close(precision[k], c.Precision.Value ?? 0.0);
            Golden.Close(recall[k], c.Recall.Value ?? 0.0);
            Assert.Equal(c.Recall.Value is null, c.Support == 0);
            Assert.Equal(expected.GetProperty("support")[k].GetInt64(), c.Support);
        }

        var confusion = expected.GetProperty("confusion").EnumerateArray()
            .Select(row => row.EnumerateArray().Select(v => v.GetInt64()).ToArray()).ToArray();
        Assert.Equal(confusion, result.Confusion.Select(r => r.ToArray()).ToArray());
    }

    [Fact]
    public void Regression_metrics_match_sklearn()
    {
        var golden = Golden.Case("performance_regression.json", "noisy_with_zero_labels");
        var expected = golden.Expected();

        var result = Regression.Evaluate(golden.Doubles("predicted"), golden.Doubles("labels"));

        Golden.Close(expected.Number("mae"), result.MeanAbsoluteError.Value);
        Golden.Close(expected.Number("rmse"), result.RootMeanSquaredError.Value);
        Golden.Close(expected.Number("mape"), result.MeanAbsolutePercentageError.Value);
        Assert.Equal(expected.GetProperty("mapeSkipped").GetInt64(), result.MapeSkippedZeroLabels);
        Golden.Close(expected.Number("r2"), result.R2.Value);
    }
}
