namespace ModelWatch.Engine.Statistics.Drift;

/// <summary>What every drift result shows a user: which statistic decided, its value, the bar, and the sample sizes.</summary>
public interface IDriftResult
{
    DriftMethod Method { get; }

    /// <summary>The deciding statistic (a p-value for tests, a distance otherwise); null when no result could be given.</summary>
    double? Value { get; }

    double Threshold { get; }

    bool Drifted { get; }

    long ReferenceSize { get; }

    long CurrentSize { get; }

    /// <summary>Why there is no result (empty sample, all NaN...); null when there is one.</summary>
    string? Reason { get; }
}
