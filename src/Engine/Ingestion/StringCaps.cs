using System.Text.Json;

namespace ModelWatch.Engine.Ingestion;

/// <summary>
/// The length cap on every string an event carries (ids, class names, category values): one oversized value would
/// otherwise be copied into every summary, page and hub message that shows it.
/// </summary>
public static class StringCaps
{
    public const int MaxLength = 256;

    public static string Rule => $"at most {MaxLength} characters";

    /// <summary>Adds an error for each string feature value (or feature name) longer than the cap.</summary>
    public static void CheckFeatures(JsonElement features, int index, BatchErrors errors)
    {
        if (features.ValueKind != JsonValueKind.Object) return;
        foreach (var property in features.EnumerateObject())
        {
            var name = property.Name;
            if (name.Length > MaxLength)
                errors.Add(index, "features", $"has a feature name of {name.Length} characters; names are {Rule}.");
            else if (property.Value.ValueKind == JsonValueKind.String && property.Value.GetString()!.Length is var length and > MaxLength)
                errors.Add(index, $"features.{name}", $"is a string of {length} characters; feature values are {Rule}.");
        }
    }
}
