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
    public static byte[] Predictions(IReadOnlyList<DemoPrediction> predictions) => Write(w =>
    {
        w.WriteStartObject();
        w.WriteStartArray("events");
        foreach (var p in predictions)
        {
            w.WriteStartObject();
            w.WriteString("id", p.Id);
            w.WriteString("timestamp", p.Timestamp.UtcDateTime);
            w.WriteString("version", p.Version);
            WriteFeatures(w, p.Draw.Features);
            WriteValue(w, "prediction", p.Draw.Prediction);
            WriteProbabilities(w, p.Draw.Probabilities);
            w.WriteNumber("latencyMs", p.LatencyMs);
            w.WriteNumber("costUsd", p.CostUsd);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
    });

    public static byte[] Labels(IReadOnlyList<DemoLabel> labels) => Write(w =>
    {
        w.WriteStartObject();
        w.WriteStartArray("labels");
        foreach (var l in labels)
        {
            w.WriteStartObject();
            w.WriteString("predictionId", l.PredictionId);
            WriteValue(w, "label", l.Label);
            w.WriteString("timestamp", l.Timestamp.UtcDateTime);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
    });

    public static byte[] Metrics(IReadOnlyList<DemoSample> samples, IReadOnlyList<DemoCost> costs) => Write(w =>
    {
        w.WriteStartObject();
        if (samples.Count > 0)
        {
            w.WriteStartArray("samples");
            foreach (var s in samples)
            {
                w.WriteStartObject();
                w.WriteString("timestamp", s.Timestamp.UtcDateTime);
                w.WriteNumber("cpuPercent", s.CpuPercent);
                w.WriteNumber("memoryMb", s.MemoryMb);
                w.WriteNumber("gpuPercent", s.GpuPercent);
                w.WriteNumber("errors", s.Errors);
                w.WriteEndObject();
            }
            w.WriteEndArray();
        }
        if (costs.Count > 0)
        {
            w.WriteStartArray("costs");
            foreach (var c in costs)
            {
                w.WriteStartObject();
                w.WriteString("timestamp", c.Timestamp.UtcDateTime);
                w.WriteNumber("amountUsd", c.AmountUsd);
                w.WriteString("item", c.Item);
                w.WriteEndObject();
            }
            w.WriteEndArray();
        }
        w.WriteEndObject();
    });

    public static byte[] Reference(IEnumerable<DemoDraw> rows) => Write(w =>
    {
        w.WriteStartObject();
        w.WriteStartArray("rows");
        foreach (var row in rows)
        {
            w.WriteStartObject();
            WriteFeatures(w, row.Features);
            WriteValue(w, "prediction", row.Prediction);
            WriteValue(w, "label", row.Label);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
    });

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

    private static byte[] Write(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>(4096);
        using (var writer = new Utf8JsonWriter(buffer)) write(writer);
        return buffer.WrittenSpan.ToArray();
    }
}
