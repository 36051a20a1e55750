using System.Buffers;
using System.Text.Json;
using ModelWatch.Engine.Registry;

namespace ModelWatch.Engine.Ingestion;

/// <summary>
/// Validates a predictions request all-or-nothing: envelope problems refuse the batch; feature problems are data,
/// stored and counted for the data-quality panel.
/// </summary>
public static class PredictionBatchParser
{
    public const int MaxEventIdLength = StringCaps.MaxLength;

    public static ParsedBatch<PredictionRecord> Parse(ReadOnlyMemory<byte> body, ModelDefinition model, int maxEvents, TimestampBounds? bounds = null)
    {
        using var document = JsonBody.TryParse(body, out var jsonError);
        if (document is null) return ParsedBatch<PredictionRecord>.Refused(jsonError!);
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("events", out var events) || events.ValueKind != JsonValueKind.Array)
            return ParsedBatch<PredictionRecord>.Refused("The body must be an object with an \"events\" array: { \"events\": [ { \"id\", \"timestamp\", \"version\", \"features\", \"prediction\" } ] }.",
                [new FieldError("events", "required: an array of prediction events")]);
        var count = events.GetArrayLength();
        if (count == 0) return ParsedBatch<PredictionRecord>.Refused("The \"events\" array is empty; send at least one event.", [new FieldError("events", "must contain at least one event")]);
        if (count > maxEvents)
            return ParsedBatch<PredictionRecord>.Refused($"The batch has {count} events; at most {maxEvents} are accepted per request. Split it into smaller batches.",
                [new FieldError("events", $"has {count} events, more than the limit of {maxEvents}")]);

        var errors = new BatchErrors();
        var records = new List<PredictionRecord>(count);
        var buffer = new ArrayBufferWriter<byte>(256);
        var index = -1;
        foreach (var e in events.EnumerateArray())
        {
            index++;
            if (e.ValueKind != JsonValueKind.Object) { errors.Add(index, "event", $"must be an object (got {JsonBody.Describe(e.ValueKind)})."); continue; }
            var before = errors.Total;

            string? id = null;
            if (!e.TryGetProperty("id", out var idElement) || idElement.ValueKind != JsonValueKind.String || idElement.GetString() is not { Length: > 0 and <= MaxEventIdLength } idText)
                errors.Add(index, "id", $"is required: a non-empty string of at most {MaxEventIdLength} characters that identifies the prediction.");
            else id = idText;

            var timestamp = default(DateTimeOffset);
            if (!e.TryGetProperty("timestamp", out var ts) || !JsonBody.TryGetTimestamp(ts, out timestamp))
                errors.Add(index, "timestamp", JsonBody.TimestampRule + ".");
            else if (bounds?.Check(timestamp) is { } outOfRange)
                errors.Add(index, "timestamp", outOfRange);

            long versionPk = 0;
            if (!e.TryGetProperty("version", out var versionElement) || versionElement.ValueKind != JsonValueKind.String)
                errors.Add(index, "version", "is required: the model version that made the prediction, as registered with POST /api/v1/models/{id}/versions.");
            else if (!model.VersionKeys.TryGetValue(versionElement.GetString()!, out versionPk))
                errors.Add(index, "version", UnknownVersion(model, versionElement.GetString()!));

            double? number = null; string? cls = null;
            if (!e.TryGetProperty("prediction", out var prediction))
                errors.Add(index, "prediction", "is required.");
            else if (!TaskValues.TryReadPrediction(model.Task, prediction, out number, out cls, out var reason))
                errors.Add(index, "prediction", reason);

            string? probabilities = null;
            if (e.TryGetProperty("probabilities", out var probs))
            {
                if (model.Task != ModelTask.MulticlassClassification) errors.Add(index, "probabilities", "applies only to multiclass models.");
                else if (!TaskValues.TryReadProbabilities(probs, out probabilities, out var reason)) errors.Add(index, "probabilities", reason);
            }

            var latency = OptionalNonNegative(e, "latencyMs", index, errors, "a number of milliseconds, zero or more");
            var cost = OptionalNonNegative(e, "costUsd", index, errors, "a cost in US dollars, zero or more");

            var failed = false;
            if (e.TryGetProperty("error", out var errorFlag) && errorFlag.ValueKind != JsonValueKind.Null)
            {
                if (errorFlag.ValueKind is JsonValueKind.True or JsonValueKind.False) failed = errorFlag.GetBoolean();
                else errors.Add(index, "error", $"must be true (the service failed this prediction) or false (got {TaskValues.Show(errorFlag)}).");
            }

            var hasFeatures = e.TryGetProperty("features", out var features);
            if (hasFeatures && features.ValueKind is not (JsonValueKind.Object or JsonValueKind.Null))
                errors.Add(index, "features", $"must be an object of feature name to value (got {JsonBody.Describe(features.ValueKind)}).");

            if (hasFeatures) StringCaps.CheckFeatures(features, index, errors);

            if (errors.Total > before || errors.Any) continue; // once the batch is refused, stop encoding
            var encoded = FeatureCodec.Encode(hasFeatures ? features : default, model, buffer);
            records.Add(new PredictionRecord(id!, timestamp.ToUnixTimeMilliseconds(), versionPk, encoded.Data, encoded.Problems, encoded.Undeclared, number, cls, probabilities, latency, cost, failed));
        }
        return errors.Any ? ParsedBatch<PredictionRecord>.Refused(errors, "events") : ParsedBatch<PredictionRecord>.Valid(records);
    }

    // A sender with a malformed version must not be told to register it: registration would refuse it too.
    private static string UnknownVersion(ModelDefinition model, string version) => VersionName.IsValid(version)
        ? $"'{version}' is not a registered version of model '{model.Id}'; register it first with POST /api/v1/models/{model.Id}/versions."
        : $"{VersionName.Quote(version)} is not a registered version of model '{model.Id}' and cannot be one: versions are {VersionName.Rule}. Send the version exactly as it was registered.";

    internal static double? OptionalNonNegative(JsonElement e, string field, int index, BatchErrors errors, string rule)
    {
        if (!e.TryGetProperty(field, out var value) || value.ValueKind == JsonValueKind.Null) return null;
        if (value.ValueKind == JsonValueKind.Number && value.GetDouble() is var d && d >= 0 && double.IsFinite(d)) return d;
        errors.Add(index, field, $"must be {rule} (got {TaskValues.Show(value)}).");
        return null;
    }
}
