namespace ModelWatch.Engine.Registry;

/// <summary>A registered model as the ingestion path needs it: schema, versions and thresholds.</summary>
public sealed record ModelDefinition(
    long Pk,
    string Id,
    string Name,
    ModelTask Task,
    string? TeamId,
    IReadOnlyList<FeatureSpec> Features,
    double DecisionThreshold,
    double? LatencySloMs,
    double? MonthlyBudgetUsd,
    DateTimeOffset CreatedAt,
    IReadOnlyDictionary<string, long> VersionKeys)
{
    private readonly Dictionary<string, int> _featureOrdinals = Features.Select((f, i) => (f.Name, i)).ToDictionary(x => x.Name, x => x.i, StringComparer.Ordinal);

    public bool TryGetFeatureOrdinal(string name, out int ordinal) => _featureOrdinals.TryGetValue(name, out ordinal);
}

public sealed record ModelVersionInfo(
    string ModelId,
    string Version,
    string HyperparametersJson,
    string? TrainingData,
    string MetricsJson,
    string? CreatedBy,
    DateTimeOffset CreatedAt,
    int ReferenceRows);

/// <summary>
/// How much has arrived for a model, so a sender can check its pipeline. LabelsTooLate counts labels deleted after waiting
/// longer than <c>Portal:Retention:UnmatchedLabelDays</c> for their prediction (often one raw retention had deleted).
/// These are totals since the model was registered: raw retention never lowers them.
/// </summary>
public sealed record ModelIngestionStats(long Predictions, long Labels, long Duplicates, DateTimeOffset? LastEventAt, long LabelsTooLate = 0);
