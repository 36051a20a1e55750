using ModelWatch.Engine.Statistics.Drift;

namespace ModelWatch.Engine.Tests.Statistics;

/// <summary>Agreement with scipy / numpy on the datasets of tests/golden/generate.py.</summary>
public class NumericalDriftGoldenTests
{
    public static TheoryData<string> SmallCases => Golden.Names("drift_numerical.json");

    [Theory]
    [MemberData(nameof(SmallCases))]
    public void Matches_scipy(string name) => AssertMatches(Golden.Case("drift_numerical.json", name));

    [Fact]
    public void Matches_scipy_on_a_large_asymptotic_sample() =>
        AssertMatches(Golden.Case("drift_numerical_large.json", "large_asymptotic"));

    private static void AssertMatches(System.Text.Json.JsonElement golden)
    {
        var expected = golden.Expected();
        var result = NumericalDrift.Compare(golden.Doubles("reference"), golden.Doubles("current"));

        Assert.Null(result.Reason);
        Assert.Equal(expected.GetProperty("referenceSize").GetInt64(), result.ReferenceSize);
        Assert.Equal(expected.GetProperty("currentSize").GetInt64(), result.CurrentSize);
        Assert.Equal(expected.Number("ksStatistic"), result.Ks!.Statistic); // bit-exact, as scipy
        Assert.Equal(expected.GetProperty("ksMethod").GetString(),
            result.Ks.PValueMethod == KsPValueMethod.Exact ? "exact" : "asymptotic");
        // Both of scipy's methods are reproduced, not approximated: its exact distribution and its asymptotic series.
        Golden.Close(expected.Number("ksPValue"), result.Ks.PValue, relative: 1e-6, absolute: 1e-12);
        Golden.Close(expected.Number("wasserstein"), result.Wasserstein);
        Golden.Close(expected.Number("wassersteinNormalized"), result.WassersteinNormalized);
        Golden.Close(expected.Number("psi"), result.Psi);
        Golden.Close(expected.Number("jensenShannon"), result.JensenShannon, absolute: 1e-7);
    }
}
