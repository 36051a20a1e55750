using System.Text.Json;

namespace ModelWatch.Engine.Registry;

// Request shapes as they arrive over the API; every field is nullable so that validation can name what is missing.
public sealed record NewTeam(string? Id, string? Name);

public sealed record NewFeature(string? Name, string? Type, double? Min = null, double? Max = null, IReadOnlyList<string>? Categories = null);

public sealed record NewModel(
    string? Id,
    string? Name,
    string? Task,
    string? Team,
    IReadOnlyList<NewFeature>? Features,
    double? DecisionThreshold = null,
    double? LatencySloMs = null,
    double? MonthlyBudgetUsd = null);

public sealed record NewVersion(string? Version, JsonElement? Hyperparameters = null, string? TrainingData = null, JsonElement? Metrics = null);
