using System.Text.Json;

namespace ModelWatch.Portal.Components.Governance;

public enum ChangeKind { Added, Removed, Changed, Same }

/// <summary>One field of two JSON objects; values are shown as compact JSON (strings without quotes).</summary>
public sealed record FieldChange(string Path, string? Before, string? After, ChangeKind Kind);

/// <summary>
/// A field-by-field diff of two JSON documents: objects are flattened to dotted paths (arrays as whole values), so
/// an audit entry's before and after, or two versions' hyperparameters, line up by name.
/// </summary>
public static class JsonDiff
{
    public static IReadOnlyList<FieldChange> Compare(string? before, string? after, bool includeSame = false)
    {
        var left = Flatten(before);
        var right = Flatten(after);
        var changes = new List<FieldChange>();
        foreach (var path in left.Keys.Union(right.Keys).Order(StringComparer.Ordinal))
        {
            var had = left.TryGetValue(path, out var b);
            var has = right.TryGetValue(path, out var a);
            var kind = !had ? ChangeKind.Added : !has ? ChangeKind.Removed : b == a ? ChangeKind.Same : ChangeKind.Changed;
            if (kind != ChangeKind.Same || includeSame) changes.Add(new FieldChange(path, b, a, kind));
        }
        return changes;
    }

    /// <summary>Dotted path to compact value; text that is not JSON is one value under "(value)".</summary>
    public static IReadOnlyDictionary<string, string> Flatten(string? json)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        if (string.IsNullOrWhiteSpace(json)) return values;
        try
        {
            using var document = JsonDocument.Parse(json);
            Walk(document.RootElement, "", values);
        }
        catch (JsonException)
        {
            values["(value)"] = json;
        }
        return values;
    }

    private static void Walk(JsonElement element, string path, Dictionary<string, string> values)
    {
        if (element.ValueKind == JsonValueKind.Object)
        {
            var any = false;
            foreach (var property in element.EnumerateObject())
            {
                any = true;
                Walk(property.Value, path.Length == 0 ? property.Name : path + "." + property.Name, values);
            }
            if (!any && path.Length > 0) values[path] = "{}";
            return;
        }
        values[path.Length == 0 ? "(value)" : path] = element.ValueKind switch
        {
            JsonValueKind.String => element.GetString() ?? "",
            JsonValueKind.Null => "null",
            _ => element.GetRawText(),
        };
    }
}
