namespace ModelWatch.Engine.Statistics.Drift;

/// <summary>Whether enough features drifted for the dataset as a whole to count as drifted.</summary>
public sealed record DatasetDriftResult(
    int FeatureCount,
    int EvaluatedCount,
    int DriftedCount,
    double? DriftedShare,
    double Threshold,
    bool Drifted,
    string? Reason);

public static class DatasetDrift
{
    /// <summary>
    /// Share of drifted features among those with a result; features without one (empty samples) are left out of
    /// the denominator, and the count of them is visible as FeatureCount − EvaluatedCount.
    /// </summary>
    public static DatasetDriftResult Evaluate(IEnumerable<IDriftResult> features, DriftPolicy? policy = null)
    {
        policy ??= DriftPolicy.Default;
        var all = features.ToList();
        var evaluated = all.Where(f => f.Reason is null).ToList();
        if (evaluated.Count == 0)
        {
            var reason = all.Count == 0 ? "There are no features to compare." : "No feature has data in both samples.";
            return new DatasetDriftResult(all.Count, 0, 0, null, policy.DatasetDriftShare, false, reason);
        }

        var drifted = evaluated.Count(f => f.Drifted);
        var share = (double)drifted / evaluated.Count;
        return new DatasetDriftResult(all.Count, evaluated.Count, drifted, share, policy.DatasetDriftShare,
            share >= policy.DatasetDriftShare, null);
    }
}
