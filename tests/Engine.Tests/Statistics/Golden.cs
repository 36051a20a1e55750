using System.Text.Json;

namespace ModelWatch.Engine.Tests.Statistics;

/// <summary>Reads the golden JSON written by tests/golden/generate.py (NaN is stored as null).</summary>
internal static class Golden
{
    private static readonly Dictionary<string, JsonElement> Files = new();

    public static IEnumerable<JsonElement> Cases(string file)
    {
        lock (Files)
        {
            if (!Files.TryGetValue(file, out var root))
            {
                var path = Path.Combine(AppContext.BaseDirectory, "Golden", file);
                root = JsonDocument.Parse(File.ReadAllText(path)).RootElement;
                Files[file] = root;
            }

            return root.GetProperty("cases").EnumerateArray().ToList();
        }
    }

    public static JsonElement Case(string file, string name) =>
        Cases(file).Single(c => c.GetProperty("name").GetString() == name);

    public static TheoryData<string> Names(string file)
    {
        var data = new TheoryData<string>();
        foreach (var c in Cases(file)) data.Add(c.GetProperty("name").GetString()!);
        return data;
    }

    public static double[] Doubles(this JsonElement e, string property) =>
        e.GetProperty(property).EnumerateArray()
            .Select(v => v.ValueKind == JsonValueKind.Null ? double.NaN : v.GetDouble()).ToArray();

    public static string[] Strings(this JsonElement e, string property) =>
        e.GetProperty(property).EnumerateArray().Select(v => v.GetString()!).ToArray();

    public static double Number(this JsonElement e, string property) => e.GetProperty(property).GetDouble();

    public static JsonElement Expected(this JsonElement e) => e.GetProperty("expected");

    /// <summary>Relative tolerance with an absolute floor for values near zero.</summary>
    public static void Close(double expected, double? actual, double relative = 1e-9, double absolute = 1e-12)
    {
        Assert.NotNull(actual);
        var tolerance = Math.Max(absolute, relative * Math.Abs(expected));
        Assert.True(Math.Abs(expected - actual!.Value) <= tolerance,
            $"expected {expected:R}, got {actual.Value:R} (tolerance {tolerance:G3})");
    }
}
