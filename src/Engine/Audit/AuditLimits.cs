using System.Text.Json;

namespace ModelWatch.Engine.Audit;

/// <summary>
/// Size caps for what one audit entry stores, so no caller can grow the permanent log by more than a few KB per entry
/// (docs/api.md, "Audit log"). A capped value says so: text ends with a "[truncated: N characters]" marker, and JSON
/// becomes an object { "truncated": true, "length": N, "start": "…" } that is still valid JSON.
/// </summary>
public static class AuditLimits
{
    /// <summary>Actor, team, model, version: identifiers, far shorter than this when valid.</summary>
    public const int MaxIdentifierChars = 256;

    /// <summary>The free-text reason.</summary>
    public const int MaxReasonChars = 4000;

    /// <summary>Before and after, as serialised JSON.</summary>
    public const int MaxJsonChars = 64 * 1024;

    /// <summary>How much of an over-long JSON value is kept, as a string, in its truncation marker.</summary>
    public const int KeptJsonChars = 1000;

    public static string? Text(string? value, int max)
    {
        value = Storable(value);
        if (value is null || value.Length <= max) return value;
        var marker = $"…[truncated: {value.Length} characters]";
        // The cut may split a surrogate pair.
        return Storable(value[..Math.Max(0, max - marker.Length)] + marker);
    }

    public static string? Json(string? json)
    {
        if (json is null || json.Length <= MaxJsonChars) return json;
        return JsonSerializer.Serialize(new { truncated = true, length = json.Length, start = json[..KeptJsonChars] });
    }

    /// <summary>
    /// Text every provider stores exactly as hashed: PostgreSQL refuses NUL characters in text and invalid UTF-16 (a lone
    /// surrogate) has no UTF-8 form, so both become U+FFFD before hashing, on SQLite too.
    /// </summary>
    public static string? Storable(string? value)
    {
        if (value is null || (!value.Contains('\0') && !HasLoneSurrogate(value))) return value;
        var builder = new System.Text.StringBuilder(value.Length);
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1])) builder.Append(c).Append(value[++i]);
            else builder.Append(c == '\0' || char.IsSurrogate(c) ? '\uFFFD' : c);
        }
        return builder.ToString();
    }

    private static bool HasLoneSurrogate(string value)
    {
        for (var i = 0; i < value.Length; i++)
        {
            if (!char.IsSurrogate(value[i])) continue;
            if (char.IsHighSurrogate(value[i]) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1])) { i++; continue; }
            return true;
        }
        return false;
    }
}
