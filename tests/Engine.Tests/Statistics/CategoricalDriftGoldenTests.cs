using ModelWatch.Engine.Statistics.Drift;

namespace ModelWatch.Engine.Tests.Statistics;

public class CategoricalDriftGoldenTests
{
    public static TheoryData<string> Cases => Golden.Names("drift_categorical.json");

    [Theory]
    [MemberData(nameof(Cases))]
    public void Matches_scipy_chi2_contingency_and_jensenshannon(string name)
    {
        var golden = Golden.Case("drift_categorical.json", name);
        var expected = golden.Expected();

        var result = CategoricalDrift.Compare(golden.Strings("reference"), golden.Strings("current"));

        Assert.Null(result.Reason);
        Assert.Equal(expected.GetProperty("categories").GetArrayLength(), result.CategoryCount);
        Golden.Close(expected.Number("chiSquare"), result.ChiSquare!.Statistic);
        Golden.Close(expected.Number("pValue"), result.ChiSquare.PValue, relative: 1e-8, absolute: 1e-14);
        Assert.Equal(expected.GetProperty("degreesOfFreedom").GetInt32(), result.ChiSquare.DegreesOfFreedom);
        Golden.Close(expected.Number("psi"), result.Psi);
        Golden.Close(expected.Number("jensenShannon"), result.JensenShannon, absolute: 1e-7);
    }
}
