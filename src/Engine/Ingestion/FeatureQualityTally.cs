namespace ModelWatch.Engine.Ingestion;

public enum QualityProblem : byte { None, Missing, TypeError, OutOfBounds, UnknownCategory }

/// <summary>Feature-level problem counts of one batch, keyed by minute and feature; the writer adds them to the store.</summary>
public sealed class FeatureQualityTally
{
    private readonly Dictionary<(long Minute, string Feature), FeatureQualityCounts> _counts = [];

    public IReadOnlyDictionary<(long Minute, string Feature), FeatureQualityCounts> Counts => _counts;

    public void Count(long minute, string feature, QualityProblem problem)
    {
        var counts = Get(minute, feature);
        counts.Rows++;
        switch (problem)
        {
            case QualityProblem.Missing: counts.Missing++; break;
            case QualityProblem.TypeError: counts.TypeErrors++; break;
            case QualityProblem.OutOfBounds: counts.OutOfBounds++; break;
            case QualityProblem.UnknownCategory: counts.UnknownCategory++; break;
        }
    }

    /// <summary>Adds one accepted event's problems (classified by the codec) under its minute.</summary>
    public void Add(long minute, IReadOnlyList<Registry.FeatureSpec> schema, QualityProblem[] problems, string[]? undeclared)
    {
        for (var i = 0; i < problems.Length; i++) Count(minute, schema[i].Name, problems[i]);
        if (undeclared is null) return;
        foreach (var name in undeclared) CountUndeclared(minute, name);
    }

    public void CountUndeclared(long minute, string feature) => Get(minute, feature).Undeclared++;

    private FeatureQualityCounts Get(long minute, string feature)
    {
        if (!_counts.TryGetValue((minute, feature), out var counts))
        {
            counts = new FeatureQualityCounts();
            _counts[(minute, feature)] = counts;
        }
        return counts;
    }
}

public sealed class FeatureQualityCounts
{
    public long Rows { get; set; }
    public long Missing { get; set; }
    public long TypeErrors { get; set; }
    public long OutOfBounds { get; set; }
    public long UnknownCategory { get; set; }
    public long Undeclared { get; set; }
}
