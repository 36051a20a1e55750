namespace ModelWatch.Engine.Statistics.Drift;

/// <summary>Chi-square test of homogeneity on the 2 × k table, without continuity correction.</summary>
public sealed record ChiSquareTest(double Statistic, double PValue, int DegreesOfFreedom);

/// <summary>
/// Drift of one categorical feature over the union of categories seen in either sample.
/// When <see cref="Reason"/> is set, the statistics are null and <see cref="Drifted"/> is false.
/// </summary>
public sealed record CategoricalDriftResult(
    DriftMethod Method,
    double? Value,
    double Threshold,
    bool Drifted,
    long ReferenceSize,
    long CurrentSize,
    int CategoryCount,
    ChiSquareTest? ChiSquare,
    double? Psi,
    PsiBand? PsiBand,
    double? JensenShannon,
    string? Reason) : IDriftResult;
