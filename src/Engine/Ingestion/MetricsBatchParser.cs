using System.Text.Json;

namespace ModelWatch.Engine.Ingestion;

public sealed record MetricsBatch(IReadOnlyList<OperationalSampleRecord> Samples, IReadOnlyList<CostRecord> Costs);

/// <summary>Validates operational samples (cpu, memory, gpu, errors) and cost records.</summary>
public static class MetricsBatchParser
{
    public static ParsedBatch<MetricsBatch> Parse(ReadOnlyMemory<byte> body, int maxItems, Registry.ModelDefinition? model = null, TimestampBounds? bounds = null)
    {
        using var document = JsonBody.TryParse(body, out var jsonError);
        if (document is null) return ParsedBatch<MetricsBatch>.Refused(jsonError!);
        var root = document.RootElement;
        const string shape = "The body must be an object with a \"samples\" array, a \"costs\" array, or both.";
        if (root.ValueKind != JsonValueKind.Object) return ParsedBatch<MetricsBatch>.Refused(shape);
        var hasSamples = root.TryGetProperty("samples", out var samples);
        var hasCosts = root.TryGetProperty("costs", out var costs);
        if ((!hasSamples && !hasCosts) || (hasSamples && samples.ValueKind != JsonValueKind.Array) || (hasCosts && costs.ValueKind != JsonValueKind.Array))
            return ParsedBatch<MetricsBatch>.Refused(shape, [new FieldError("samples", "an array of { timestamp, cpuPercent, memoryMb, gpuPercent, errors }"), new FieldError("costs", "an array of { timestamp, amountUsd, item }")]);
        var total = (hasSamples ? samples.GetArrayLength() : 0) + (hasCosts ? costs.GetArrayLength() : 0);
        var field = hasSamples ? "samples" : "costs";
        if (total == 0) return ParsedBatch<MetricsBatch>.Refused("Both arrays are empty; send at least one sample or cost.", [new FieldError(field, "must contain at least one item")]);
        if (total > maxItems)
            return ParsedBatch<MetricsBatch>.Refused($"The batch has {total} items; at most {maxItems} are accepted per request. Split it into smaller batches.",
                [new FieldError(field, $"has {total} samples and costs together, more than the limit of {maxItems}")]);

        var errors = new BatchErrors();
        var sampleRecords = new List<OperationalSampleRecord>();
        var costRecords = new List<CostRecord>();
        if (hasSamples)
        {
            var i = -1;
            foreach (var s in samples.EnumerateArray())
            {
                i++;
                if (s.ValueKind != JsonValueKind.Object) { errors.Add(i, "samples", "each sample must be an object."); continue; }
                if (!s.TryGetProperty("timestamp", out var ts) || !JsonBody.TryGetTimestamp(ts, out var at)) { errors.Add(i, "samples.timestamp", JsonBody.TimestampRule + "."); at = default; }
                else if (bounds?.Check(at) is { } outOfRange) errors.Add(i, "samples.timestamp", outOfRange);
                var cpu = Percent(s, "cpuPercent", i, errors);
                var memory = PredictionBatchParser.OptionalNonNegative(s, "memoryMb", i, errors, "a number of megabytes, zero or more");
                var gpu = Percent(s, "gpuPercent", i, errors);
                long errorCount = 0;
                if (s.TryGetProperty("errors", out var e) && e.ValueKind != JsonValueKind.Null)
                {
                    if (e.ValueKind == JsonValueKind.Number && e.TryGetInt64(out var n) && n >= 0) errorCount = n;
                    else errors.Add(i, "samples.errors", $"must be a whole number, zero or more (got {TaskValues.Show(e)}).");
                }
                // Optional: the version whose errors these are; without it they count model-wide.
                long? versionPk = null;
                if (s.TryGetProperty("version", out var v) && v.ValueKind != JsonValueKind.Null)
                {
                    if (v.ValueKind == JsonValueKind.String && model is not null && model.VersionKeys.TryGetValue(v.GetString()!, out var pk)) versionPk = pk;
                    else errors.Add(i, "samples.version", $"must be a registered version of the model, as a string (got {TaskValues.Show(v)}); leave it out to count the errors model-wide.");
                }
                if (!errors.Any) sampleRecords.Add(new OperationalSampleRecord(at.ToUnixTimeMilliseconds(), cpu, memory, gpu, errorCount, versionPk));
            }
        }
        if (hasCosts)
        {
            var i = -1;
            foreach (var c in costs.EnumerateArray())
            {
                i++;
                if (c.ValueKind != JsonValueKind.Object) { errors.Add(i, "costs", "each cost must be an object."); continue; }
                if (!c.TryGetProperty("timestamp", out var ts) || !JsonBody.TryGetTimestamp(ts, out var at)) { errors.Add(i, "costs.timestamp", JsonBody.TimestampRule + "."); at = default; }
                else if (bounds?.Check(at) is { } outOfRange) errors.Add(i, "costs.timestamp", outOfRange);
                double amount = 0;
                if (!c.TryGetProperty("amountUsd", out var a) || a.ValueKind != JsonValueKind.Number || !double.IsFinite(amount = a.GetDouble()) || amount < 0)
                    errors.Add(i, "costs.amountUsd", "is required: an amount in US dollars, zero or more.");
                string? item = null;
                if (!c.TryGetProperty("item", out var it) || it.ValueKind != JsonValueKind.String || it.GetString() is not { Length: > 0 and <= 200 } itemText)
                    errors.Add(i, "costs.item", "is required: what was paid for, e.g. \"gpu-node-hour\" (at most 200 characters).");
                else item = itemText;
                if (!errors.Any) costRecords.Add(new CostRecord(at.ToUnixTimeMilliseconds(), amount, item!));
            }
        }
        return errors.Any
            ? ParsedBatch<MetricsBatch>.Refused(errors, "samples and costs")
            : ParsedBatch<MetricsBatch>.Valid([new MetricsBatch(sampleRecords, costRecords)]);
    }

    private static double? Percent(JsonElement e, string field, int index, BatchErrors errors)
    {
        if (!e.TryGetProperty(field, out var value) || value.ValueKind == JsonValueKind.Null) return null;
        if (value.ValueKind == JsonValueKind.Number && value.GetDouble() is >= 0 and <= 100) return value.GetDouble();
        errors.Add(index, "samples." + field, $"must be a percentage from 0 to 100 (got {TaskValues.Show(value)}).");
        return null;
    }
}
