using System.Globalization;

namespace ModelWatch.Engine.Tests.TestSupport;

/// <summary>Request bodies written as a sender would write them.</summary>
public static class Events
{
    public const string Time = "2026-11-23T12:00:00Z";

    public static string Prediction(string id, string prediction = "0.83", string version = "1.0.0", string features = """{ "amount": 120.5, "age": 31, "country": "DE" }""", string timestamp = Time) =>
        $$"""{ "id": "{{id}}", "timestamp": "{{timestamp}}", "version": "{{version}}", "features": {{features}}, "prediction": {{prediction}}, "latencyMs": 12.4, "costUsd": 0.00002 }""";

    public static string Batch(params string[] events) => $$"""{ "events": [ {{string.Join(", ", events)}} ] }""";

    public static string Batch(IEnumerable<string> events) => Batch(events.ToArray());

    public static string Many(int count, string prefix = "p-", string prediction = "0.5") =>
        Batch(Enumerable.Range(0, count).Select(i => Prediction(prefix + i.ToString(CultureInfo.InvariantCulture), prediction)));

    public static string Labels(params (string Id, string Label)[] labels) =>
        $$"""{ "labels": [ {{string.Join(", ", labels.Select(l => $$"""{ "predictionId": "{{l.Id}}", "label": {{l.Label}}, "timestamp": "2026-11-23T14:00:00Z" }"""))}} ] }""";
}
