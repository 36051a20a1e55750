using System.Text.Json;

namespace ModelWatch.Portal.Api;

// The wire shapes of the ingestion bodies, for the OpenAPI document only. The bodies themselves are read by the
// Engine's streaming parsers (one pass, no object per event), which are the authority on what is accepted.

/// <summary>POST /models/{id}/predictions.</summary>
public sealed record PredictionBatchShape(IReadOnlyList<PredictionEventShape> Events);

/// <param name="Prediction">Probability of the positive class, a class name, or a number, by the model's task.</param>
public sealed record PredictionEventShape(
    string Id, DateTimeOffset Timestamp, string Version, Dictionary<string, JsonElement> Features, JsonElement Prediction,
    Dictionary<string, double>? Probabilities, double? LatencyMs, double? CostUsd);

/// <summary>POST /models/{id}/labels.</summary>
public sealed record LabelBatchShape(IReadOnlyList<LabelShape> Labels);

public sealed record LabelShape(string PredictionId, JsonElement Label, DateTimeOffset? Timestamp);

/// <summary>POST /models/{id}/metrics.</summary>
public sealed record MetricsBatchShape(IReadOnlyList<MetricSampleShape>? Samples, IReadOnlyList<CostShape>? Costs);

public sealed record MetricSampleShape(DateTimeOffset Timestamp, double? CpuPercent, double? MemoryMb, double? GpuPercent, long? Errors);

public sealed record CostShape(DateTimeOffset Timestamp, double AmountUsd, string? Item);

/// <summary>POST /models/{id}/versions/{version}/reference.</summary>
public sealed record ReferenceUploadShape(IReadOnlyList<ReferenceRowShape> Rows);

public sealed record ReferenceRowShape(Dictionary<string, JsonElement> Features, JsonElement? Prediction, JsonElement? Label);

/// <summary>POST /drift/compare.</summary>
/// <param name="Kind">numerical or categorical.</param>
public sealed record DriftCompareShape(string Kind, IReadOnlyList<JsonElement> Reference, IReadOnlyList<JsonElement> Current);
