namespace ModelWatch.Engine.Statistics.Drift;

/// <summary>The statistic a drift decision was taken on.</summary>
public enum DriftMethod
{
    /// <summary>Two-sample Kolmogorov–Smirnov test; drifted when the p-value is below the threshold.</summary>
    KolmogorovSmirnov,

    /// <summary>Wasserstein distance divided by the reference's population standard deviation; drifted at or above the threshold.</summary>
    WassersteinNormalized,

    /// <summary>Chi-square test of homogeneity; drifted when the p-value is below the threshold.</summary>
    ChiSquare,

    /// <summary>Jensen–Shannon distance (natural log); drifted at or above the threshold.</summary>
    JensenShannon,
}

/// <summary>Conventional population-stability-index bands, shown next to the decision.</summary>
public enum PsiBand
{
    None,
    Moderate,
    Significant,
}

/// <summary>How a Kolmogorov–Smirnov p-value was obtained (mirrors scipy's method='auto').</summary>
public enum KsPValueMethod
{
    Exact,
    Asymptotic,
}
