using System.Buffers;
using System.Text.Json;
using ModelWatch.Engine.Registry;

namespace ModelWatch.Engine.Ingestion;

/// <summary>Validates a reference (baseline) upload: rows of features with the model's prediction and, optionally, the label.</summary>
public static class ReferenceParser
{
    public static ParsedBatch<ReferenceRecord> Parse(ReadOnlyMemory<byte> body, ModelDefinition model, int maxRows)
    {
        using var document = JsonBody.TryParse(body, out var jsonError);
        if (document is null) return ParsedBatch<ReferenceRecord>.Refused(jsonError!);
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("rows", out var rows) || rows.ValueKind != JsonValueKind.Array)
            return ParsedBatch<ReferenceRecord>.Refused("The body must be an object with a \"rows\" array: { \"rows\": [ { \"features\": { }, \"prediction\": 0.2, \"label\": 0 } ] }.",
                [new FieldError("rows", "required: an array of reference rows")]);
        var count = rows.GetArrayLength();
        if (count == 0) return ParsedBatch<ReferenceRecord>.Refused("The \"rows\" array is empty; a baseline needs at least one row.", [new FieldError("rows", "must contain at least one row")]);
        if (count > maxRows)
            return ParsedBatch<ReferenceRecord>.Refused($"The baseline has {count} rows; at most {maxRows} are accepted. Upload a representative sample.",
                [new FieldError("rows", $"has {count} rows, more than the limit of {maxRows}")]);

        var errors = new BatchErrors();
        var records = new List<ReferenceRecord>(count);
        var buffer = new ArrayBufferWriter<byte>(256);
        var index = -1;
        foreach (var row in rows.EnumerateArray())
        {
            index++;
            if (row.ValueKind != JsonValueKind.Object) { errors.Add(index, "row", "must be an object."); continue; }
            if (!row.TryGetProperty("features", out var features) || features.ValueKind != JsonValueKind.Object)
                errors.Add(index, "features", "is required: an object of feature name to value.");
            else StringCaps.CheckFeatures(features, index, errors);
            double? prediction = null; string? predictedClass = null;
            if (row.TryGetProperty("prediction", out var p) && p.ValueKind != JsonValueKind.Null && !TaskValues.TryReadPrediction(model.Task, p, out prediction, out predictedClass, out var reason))
                errors.Add(index, "prediction", reason);
            double? label = null; string? labelClass = null;
            if (row.TryGetProperty("label", out var l) && l.ValueKind != JsonValueKind.Null && !TaskValues.TryReadLabel(model.Task, l, out label, out labelClass, out var labelReason))
                errors.Add(index, "label", labelReason);
            if (!errors.Any) records.Add(new ReferenceRecord(FeatureCodec.Encode(features, model, buffer).Data, prediction, predictedClass, label, labelClass));
        }
        return errors.Any ? ParsedBatch<ReferenceRecord>.Refused(errors, "reference rows") : ParsedBatch<ReferenceRecord>.Valid(records);
    }
}
