namespace ModelWatch.Engine.Statistics.Drift;

/// <summary>Two-sided two-sample Kolmogorov–Smirnov test.</summary>
public sealed record KsTest(double Statistic, double PValue, KsPValueMethod PValueMethod);

/// <summary>
/// Drift of one numerical feature. Sizes count the values used (NaN dropped); the dropped NaN are reported
/// separately. When <see cref="Reason"/> is set, the statistics are null and <see cref="Drifted"/> is false.
/// <see cref="Approximate"/> is true when computed from binned histograms rather than raw values.
/// </summary>
public sealed record NumericalDriftResult(
    DriftMethod Method,
    double? Value,
    double Threshold,
    bool Drifted,
    long ReferenceSize,
    long CurrentSize,
    long ReferenceNaNCount,
    long CurrentNaNCount,
    KsTest? Ks,
    double? Wasserstein,
    double? WassersteinNormalized,
    double? Psi,
    PsiBand? PsiBand,
    double? JensenShannon,
    bool Approximate,
    string? Reason) : IDriftResult;
