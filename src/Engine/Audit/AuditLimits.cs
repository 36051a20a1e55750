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
        if (value is null || value.Length <= max) return value;
        var marker = $"…[truncated: {value.Length} characters]";
        return value[..Math.Max(0, max - marker.Length)] + marker;
    }

    public static string? Json(string? json)
    {
        if (json is null || json.Length <= MaxJsonChars) return json;
        return JsonSerializer.Serialize(new { truncated = true, length = json.Length, start = json[..KeptJsonChars] });
    }
}
