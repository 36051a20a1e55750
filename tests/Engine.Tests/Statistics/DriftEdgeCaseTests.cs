using ModelWatch.Engine.Statistics.Drift;

namespace ModelWatch.Engine.Tests.Statistics;

public class DriftEdgeCaseTests
{
    [Fact]
    public void Empty_reference_gives_no_result_and_says_why()
    {
        var result = NumericalDrift.Compare([], [1.0, 2.0]);

        Assert.Null(result.Value);
        Assert.Null(result.Ks);
        Assert.False(result.Drifted);
        Assert.Equal("The reference sample is empty.", result.Reason);
        Assert.Equal(2, result.CurrentSize);
    }

    [Fact]
    public void Empty_current_gives_no_result_and_says_why()
    {
        var result = NumericalDrift.Compare([1.0], []);

        Assert.Equal("The current sample is empty.", result.Reason);
        Assert.False(result.Drifted);
    }

    [Fact]
    public void All_NaN_sample_gives_no_result_and_counts_the_dropped_values()
    {
        var result = NumericalDrift.Compare([double.NaN, double.NaN, double.PositiveInfinity], [1.0, 2.0]);

        Assert.Null(result.Value);
        Assert.Equal(3, result.ReferenceNaNCount);
        Assert.Equal(0, result.ReferenceSize);
        Assert.Contains("no finite values", result.Reason);
    }

    [Fact]
    public void NaN_values_are_dropped_and_counted()
    {
        var result = NumericalDrift.Compare([1.0, double.NaN, 2.0, 3.0], [1.0, 2.0, double.NaN, double.NaN, 3.0]);

        Assert.Equal(3, result.ReferenceSize);
        Assert.Equal(1, result.ReferenceNaNCount);
        Assert.Equal(2, result.CurrentNaNCount);
        Assert.Equal(0.0, result.Ks!.Statistic);
        Assert.Equal(0.0, result.Wasserstein);
    }

    [Fact]
    public void Identical_constant_columns_do_not_drift()
    {
        var result = NumericalDrift.Compare(Enumerable.Repeat(5.0, 50).ToArray(), Enumerable.Repeat(5.0, 40).ToArray());

        Assert.Equal(0.0, result.Ks!.Statistic);
        Assert.Equal(1.0, result.Ks.PValue);
        Assert.Equal(0.0, result.Wasserstein);
        Assert.Equal(0.0, result.Psi);
        Assert.Equal(0.0, result.JensenShannon);
        Assert.False(result.Drifted);
    }

    [Fact]
    public void A_constant_reference_is_normalised_by_the_floor_not_by_zero()
    {
        var result = NumericalDrift.Compare([1.0, 1.0, 1.0], [1.5, 1.5]);

        Assert.Equal(0.5, result.Wasserstein);
        Assert.Equal(0.5 / NumericalDrift.MinimumScale, result.WassersteinNormalized);
        Assert.True(double.IsFinite(result.Psi!.Value));
    }

    [Fact]
    public void Single_values_give_a_defined_but_insignificant_test()
    {
        var result = NumericalDrift.Compare([1.0], [2.0]);

        Assert.Equal(1.0, result.Ks!.Statistic);
        Assert.Equal(1.0, result.Ks.PValue); // one value each cannot show anything
        Assert.Equal(1.0, result.Wasserstein);
        Assert.False(result.Drifted);
    }

    [Fact]
    public void Ties_across_samples_count_once_at_each_value()
    {
        // F_r = (0.5, 1), F_c = (0.25, 1) at values 0 and 1.
        var result = NumericalDrift.Compare([0.0, 1.0], [0.0, 1.0, 1.0, 1.0]);

        Assert.Equal(0.25, result.Ks!.Statistic);
        Assert.Equal(0.25, result.Wasserstein);
    }

    [Fact]
    public void Small_reference_is_judged_by_the_KS_p_value()
    {
        var random = new Random(1);
        var reference = Enumerable.Range(0, 1000).Select(_ => random.NextDouble()).ToArray();
        var current = Enumerable.Range(0, 500).Select(_ => random.NextDouble() + 0.2).ToArray();

        var result = NumericalDrift.Compare(reference, current);

        Assert.Equal(DriftMethod.KolmogorovSmirnov, result.Method);
        Assert.Equal(0.05, result.Threshold);
        Assert.Equal(result.Ks!.PValue, result.Value);
        Assert.True(result.Drifted);
    }

    [Fact]
    public void Large_reference_is_judged_by_normalised_Wasserstein()
    {
        var random = new Random(2);
        var reference = Enumerable.Range(0, 1001).Select(_ => random.NextDouble()).ToArray();
        var current = reference.Select(v => v + 0.01).ToArray();

        var result = NumericalDrift.Compare(reference, current);

        Assert.Equal(DriftMethod.WassersteinNormalized, result.Method);
        Assert.Equal(result.WassersteinNormalized, result.Value);
        Assert.False(result.Drifted); // a 0.01 shift is ~0.035 standard deviations of U(0, 1)
    }

    [Fact]
    public void Policy_thresholds_are_configurable()
    {
        var policy = DriftPolicy.Default with { SmallReferenceMaxRows = 0, WassersteinNormalizedThreshold = 0.01 };

        var result = NumericalDrift.Compare([0.0, 1.0, 2.0, 3.0], [0.1, 1.1, 2.1, 3.1], policy);

        Assert.Equal(DriftMethod.WassersteinNormalized, result.Method);
        Assert.True(result.Drifted);
    }

    [Theory]
    [InlineData(0.0, PsiBand.None)]
    [InlineData(0.099, PsiBand.None)]
    [InlineData(0.1, PsiBand.Moderate)]
    [InlineData(0.249, PsiBand.Moderate)]
    [InlineData(0.25, PsiBand.Significant)]
    public void Psi_bands_follow_the_usual_cut_offs(double psi, PsiBand band) =>
        Assert.Equal(band, DriftPolicy.Default.BandOf(psi));

    [Fact]
    public void A_category_seen_only_in_current_gets_the_floor_proportion_in_reference()
    {
        var result = CategoricalDrift.Compare(["a", "a", "b", "b"], ["a", "b", "c", "c"]);

        Assert.Equal(3, result.CategoryCount);
        Assert.Equal(2, result.ChiSquare!.DegreesOfFreedom);
        // PSI term for c: (0.0001 − 0.5)·ln(0.0001 / 0.5); for a and b: (0.5 − 0.25)·ln 2 each.
        var expected = (0.0001 - 0.5) * Math.Log(0.0001 / 0.5) + 2 * 0.25 * Math.Log(2);
        Assert.Equal(expected, result.Psi!.Value, 12);
    }

    [Fact]
    public void A_single_shared_category_has_no_degrees_of_freedom_and_no_drift()
    {
        var result = CategoricalDrift.Compare(["x", "x"], ["x"]);

        Assert.Equal(new ChiSquareTest(0.0, 1.0, 0), result.ChiSquare);
        Assert.Equal(0.0, result.JensenShannon);
        Assert.False(result.Drifted);
    }

    [Fact]
    public void Empty_categorical_sample_gives_no_result_and_says_why()
    {
        var result = CategoricalDrift.Compare(["a"], [null, null]);

        Assert.Null(result.ChiSquare);
        Assert.Equal("The current sample is empty.", result.Reason);
    }

    [Fact]
    public void Large_categorical_reference_is_judged_by_Jensen_Shannon()
    {
        var reference = Enumerable.Repeat("a", 600).Concat(Enumerable.Repeat("b", 600)).ToArray();
        var current = Enumerable.Repeat("a", 100).Concat(Enumerable.Repeat("b", 900)).ToArray();

        var result = CategoricalDrift.Compare(reference, current);

        Assert.Equal(DriftMethod.JensenShannon, result.Method);
        Assert.Equal(result.JensenShannon, result.Value);
        Assert.True(result.Drifted);
    }

    [Fact]
    public void Dataset_drifts_when_half_of_the_evaluated_features_drift()
    {
        var drifted = NumericalDrift.Compare([0.0, 0.1, 0.2, 0.3, 0.4, 0.5], [10.0, 10.1, 10.2, 10.3, 10.4, 10.5]);
        var stable = NumericalDrift.Compare([0.0, 0.1, 0.2], [0.0, 0.1, 0.2]);
        var empty = NumericalDrift.Compare([], [1.0]);

        var result = DatasetDrift.Evaluate([drifted, stable, empty]);

        Assert.True(drifted.Drifted);
        Assert.Equal(3, result.FeatureCount);
        Assert.Equal(2, result.EvaluatedCount);
        Assert.Equal(1, result.DriftedCount);
        Assert.Equal(0.5, result.DriftedShare);
        Assert.True(result.Drifted);
    }

    [Fact]
    public void Dataset_with_no_evaluable_feature_has_no_result()
    {
        var result = DatasetDrift.Evaluate([NumericalDrift.Compare([], [])]);

        Assert.Null(result.DriftedShare);
        Assert.False(result.Drifted);
        Assert.NotNull(result.Reason);
    }
}
