using System.Buffers;
using System.Text.Json;

namespace ModelWatch.Engine.Demo;

/// <summary>A prediction as it will be posted: the draw plus the envelope fields.</summary>
internal sealed record DemoPrediction(string Id, DateTimeOffset Timestamp, string Version, DemoDraw Draw, double LatencyMs, double CostUsd);

internal readonly record struct DemoLabel(string PredictionId, object Label, DateTimeOffset Timestamp);

internal sealed record DemoSample(DateTimeOffset Timestamp, double CpuPercent, double MemoryMb, double GpuPercent, int Errors);

internal sealed record DemoCost(DateTimeOffset Timestamp, double AmountUsd, string Item);

/// <summary>Writes the JSON bodies of the public HTTP API, so the demo goes through exactly what a sender would send.</summary>
internal static class DemoBodies
{
    public static byte[] Predictions(IReadOnlyList<DemoPrediction> predictions) => WriteRoot(w => WriteObjects(w, "events", predictions, static (w, p) =>
    {
        w.WriteString("id", p.Id);
        w.WriteString("timestamp", p.Timestamp.UtcDateTime);
        w.WriteString("version", p.Version);
        WriteFeatures(w, p.Draw.Features);
        WriteValue(w, "prediction", p.Draw.Prediction);
        WriteProbabilities(w, p.Draw.Probabilities);
        w.WriteNumber("latencyMs", p.LatencyMs);
        w.WriteNumber("costUsd", p.CostUsd);
    }));

    public static byte[] Labels(IReadOnlyList<DemoLabel> labels) => WriteRoot(w => WriteObjects(w, "labels", labels, static (w, l) =>
    {
        w.WriteString("predictionId", l.PredictionId);
        WriteValue(w, "label", l.Label);
        w.WriteString("timestamp", l.Timestamp.UtcDateTime);
    }));

    public static byte[] Metrics(IReadOnlyList<DemoSample> samples, IReadOnlyList<DemoCost> costs) => WriteRoot(w =>
    {
        if (samples.Count > 0)
        {
            WriteObjects(w, "samples", samples, static (w, s) =>
            {
                w.WriteString("timestamp", s.Timestamp.UtcDateTime);
                w.WriteNumber("cpuPercent", s.CpuPercent);
                w.WriteNumber("memoryMb", s.MemoryMb);
                w.WriteNumber("gpuPercent", s.GpuPercent);
                w.WriteNumber("errors", s.Errors);
            });
        }
        if (costs.Count > 0)
        {
            WriteObjects(w, "costs", costs, static (w, c) =>
            {
                w.WriteString("timestamp", c.Timestamp.UtcDateTime);
                w.WriteNumber("amountUsd", c.AmountUsd);
                w.WriteString("item", c.Item);
            });
        }
    });

    public static byte[] Reference(IEnumerable<DemoDraw> rows) => WriteRoot(w => WriteObjects(w, "rows", rows, static (w, row) =>
    {
        WriteFeatures(w, row.Features);
        WriteValue(w, "prediction", row.Prediction);
        WriteValue(w, "label", row.Label);
    }));

    /// <summary>Every body is a batch: an array of objects under one property of the root object.</summary>
    private static void WriteObjects<T>(Utf8JsonWriter w, string name, IEnumerable<T> items, Action<Utf8JsonWriter, T> writeFields)
    {
        w.WriteStartArray(name);
        foreach (var item in items)
        {
            w.WriteStartObject();
            writeFields(w, item);
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }

    private static void WriteFeatures(Utf8JsonWriter w, List<KeyValuePair<string, object>> features)
    {
        w.WriteStartObject("features");
        foreach (var (name, value) in features) WriteValue(w, name, value);
        w.WriteEndObject();
    }

    private static void WriteProbabilities(Utf8JsonWriter w, IReadOnlyDictionary<string, double>? probabilities)
    {
        if (probabilities is null) return;
        w.WriteStartObject("probabilities");
        foreach (var (name, p) in probabilities) w.WriteNumber(name, p);
        w.WriteEndObject();
    }

    private static void WriteValue(Utf8JsonWriter w, string name, object value)
    {
        switch (value)
        {
            case double d: w.WriteNumber(name, d); break;
            case int i: w.WriteNumber(name, i); break;
            case string s: w.WriteString(name, s); break;
            default: throw new ArgumentException($"Demo values are numbers or strings, not {value.GetType().Name}.", nameof(value));
        }
    }

    private static byte[] WriteRoot(Action<Utf8JsonWriter> writeFields)
    {
        var buffer = new ArrayBufferWriter<byte>(4096);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writeFields(writer);
            writer.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }
}
