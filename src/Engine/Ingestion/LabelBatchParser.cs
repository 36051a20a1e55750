using System.Text.Json;
using ModelWatch.Engine.Registry;

namespace ModelWatch.Engine.Ingestion;

/// <summary>Validates ground-truth labels; a label may name a prediction that has not arrived yet.</summary>
public static class LabelBatchParser
{
    public static ParsedBatch<LabelRecord> Parse(ReadOnlyMemory<byte> body, ModelDefinition model, int maxItems, DateTimeOffset now, TimestampBounds? bounds = null)
    {
        using var document = JsonBody.TryParse(body, out var jsonError);
        if (document is null) return ParsedBatch<LabelRecord>.Refused(jsonError!);
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("labels", out var labels) || labels.ValueKind != JsonValueKind.Array)
            return ParsedBatch<LabelRecord>.Refused("The body must be an object with a \"labels\" array: { \"labels\": [ { \"predictionId\", \"label\", \"timestamp\" } ] }.",
                [new FieldError("labels", "required: an array of labels")]);
        var count = labels.GetArrayLength();
        if (count == 0) return ParsedBatch<LabelRecord>.Refused("The \"labels\" array is empty; send at least one label.", [new FieldError("labels", "must contain at least one label")]);
        if (count > maxItems)
            return ParsedBatch<LabelRecord>.Refused($"The batch has {count} labels; at most {maxItems} are accepted per request. Split it into smaller batches.",
                [new FieldError("labels", $"has {count} labels, more than the limit of {maxItems}")]);

        var errors = new BatchErrors();
        var records = new List<LabelRecord>(count);
        var index = -1;
        foreach (var l in labels.EnumerateArray())
        {
            index++;
            if (l.ValueKind != JsonValueKind.Object) { errors.Add(index, "label", $"must be an object (got {JsonBody.Describe(l.ValueKind)})."); continue; }
            string? id = null;
            if (!l.TryGetProperty("predictionId", out var idElement) || idElement.ValueKind != JsonValueKind.String || idElement.GetString() is not { Length: > 0 and <= PredictionBatchParser.MaxEventIdLength } idText)
                errors.Add(index, "predictionId", $"is required: the id of the prediction this label is the ground truth for ({StringCaps.Rule}).");
            else id = idText;

            double? number = null; string? cls = null;
            if (!l.TryGetProperty("label", out var value)) errors.Add(index, "label", "is required.");
            else if (!TaskValues.TryReadLabel(model.Task, value, out number, out cls, out var reason)) errors.Add(index, "label", reason);

            var timestamp = now;
            if (l.TryGetProperty("timestamp", out var ts) && ts.ValueKind != JsonValueKind.Null && !JsonBody.TryGetTimestamp(ts, out timestamp))
                errors.Add(index, "timestamp", JsonBody.TimestampRule + " (or leave it out to use the time of receipt).");
            else if (bounds?.Check(timestamp) is { } outOfRange)
                errors.Add(index, "timestamp", outOfRange);

            if (!errors.Any) records.Add(new LabelRecord(id!, number, cls, timestamp.ToUnixTimeMilliseconds()));
        }
        return errors.Any ? ParsedBatch<LabelRecord>.Refused(errors, "labels") : ParsedBatch<LabelRecord>.Valid(records);
    }
}
