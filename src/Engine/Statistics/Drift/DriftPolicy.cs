namespace ModelWatch.Engine.Statistics.Drift;

/// <summary>
/// Thresholds for drift decisions. Defaults follow Evidently / Azure ML: a small reference is judged by a
/// hypothesis test, a large one by a distance, because with many rows every tiny shift becomes "significant".
/// </summary>
public sealed record DriftPolicy
{
    public static DriftPolicy Default { get; } = new();

    /// <summary>References with at most this many (non-NaN) values use the statistical tests.</summary>
    public int SmallReferenceMaxRows { get; init; } = 1000;

    /// <summary>KS / chi-square: drifted when p is strictly below this.</summary>
    public double PValueThreshold { get; init; } = 0.05;

    /// <summary>Large numerical references: drifted when normalised Wasserstein is at or above this.</summary>
    public double WassersteinNormalizedThreshold { get; init; } = 0.1;

    /// <summary>Large categorical references: drifted when the Jensen–Shannon distance is at or above this.</summary>
    public double JensenShannonThreshold { get; init; } = 0.1;

    public double PsiModerate { get; init; } = 0.1;

    public double PsiSignificant { get; init; } = 0.25;

    /// <summary>The dataset drifts when at least this share of the evaluated features drift.</summary>
    public double DatasetDriftShare { get; init; } = 0.5;

    public PsiBand BandOf(double psi) =>
        psi >= PsiSignificant ? PsiBand.Significant : psi >= PsiModerate ? PsiBand.Moderate : PsiBand.None;

    internal bool UsesTest(long referenceSize) => referenceSize <= SmallReferenceMaxRows;
}
