using System.Text.Json;
using ModelWatch.Engine.Registry;

namespace ModelWatch.Portal.Api;

// Response shapes of /api/v1. camelCase on the wire (web defaults).
public sealed record TeamResponse(string Id, string Name, DateTimeOffset CreatedAt)
{
    public static TeamResponse From(Team t) => new(t.Id, t.Name, t.CreatedAt);
}

public sealed record CreatedKeyResponse(string Id, string Name, string? Team, string Key);

public sealed record NewKeyRequest(string? Name);

/// <summary>Totals since the model was registered; LabelsTooLate counts labels whose prediction never came within Portal:Retention:UnmatchedLabelDays.</summary>
public sealed record StatsResponse(long Predictions, long Labels, long Duplicates, DateTimeOffset? LastEventAt, long LabelsTooLate);

public sealed record ModelResponse(
    string Id, string Name, string Task, string? Team, IReadOnlyList<FeatureSpec> Features, double DecisionThreshold,
    double? LatencySloMs, double? MonthlyBudgetUsd, DateTimeOffset CreatedAt, IReadOnlyList<string> Versions, StatsResponse Stats)
{
    public static ModelResponse From(ModelDefinition m, ModelIngestionStats s) => new(
        m.Id, m.Name, m.Task.ToName(), m.TeamId, m.Features, m.DecisionThreshold, m.LatencySloMs, m.MonthlyBudgetUsd, m.CreatedAt,
        m.VersionKeys.Keys.Order(StringComparer.Ordinal).ToList(), new StatsResponse(s.Predictions, s.Labels, s.Duplicates, s.LastEventAt, s.LabelsTooLate));
}

public sealed record VersionResponse(string Model, string Version, JsonElement Hyperparameters, string? TrainingData, JsonElement Metrics, string? CreatedBy, DateTimeOffset CreatedAt, int ReferenceRows)
{
    public static VersionResponse From(ModelVersionInfo v) => new(v.ModelId, v.Version, Parse(v.HyperparametersJson), v.TrainingData, Parse(v.MetricsJson), v.CreatedBy, v.CreatedAt, v.ReferenceRows);

    private static JsonElement Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }
}

public sealed record PredictionsAccepted(int Accepted, int Duplicates);
public sealed record LabelsAccepted(int Matched, int Unmatched);
public sealed record MetricsAccepted(int Accepted);
public sealed record ReferenceStored(string Model, string Version, int Rows);
