using System.Text.Json;

namespace ModelWatch.Engine.Audit;

/// <summary>A change to a model worth marking on its time charts: when, what kind, and a sentence for the tooltip.</summary>
public sealed record Annotation(DateTimeOffset At, string Kind, string Text);

/// <summary>What the model page's time charts mark: the model's annotations from <paramref name="from"/> to <paramref name="to"/>, oldest first.</summary>
public interface IAnnotationReader
{
    IReadOnlyList<Annotation> For(string modelId, DateTimeOffset from, DateTimeOffset to);
}

/// <summary>
/// The events of a model's life that explain a bend in its charts (a new version, a production promotion, a new
/// reference, new drift settings, a new owner), read from the audit log: the log is the one record of who changed
/// what and when, so the charts and the audit page never disagree.
/// </summary>
public sealed class ModelAnnotations(AuditLog audit) : IAnnotationReader
{
    /// <summary>Markers per chart at the most: the newest are kept, so a busy model's chart stays readable.</summary>
    public const int MaxPerWindow = 100;

    public static class Kinds
    {
        public const string Version = "version";
        public const string Promotion = "promotion";
        public const string Reference = "reference";
        public const string Settings = "settings";
        public const string Ownership = "ownership";
    }

    public IReadOnlyList<Annotation> For(string modelId, DateTimeOffset from, DateTimeOffset to)
    {
        var annotations = new List<Annotation>();
        long? cursor = null;
        // Entries come newest first; pages skip what is not an annotation (sign-ins, refusals, exports) until the cap.
        for (var pages = 0; pages < 10 && annotations.Count < MaxPerWindow; pages++)
        {
            var page = audit.Page(new AuditFilter(Model: modelId, From: from, To: to), cursor, limit: 200);
            annotations.AddRange(page.Entries.Select(Describe).OfType<Annotation>());
            if (page.NextCursor is null) break;
            cursor = page.NextCursor;
        }
        return annotations.Take(MaxPerWindow).OrderBy(a => a.At).ToList();
    }

    /// <summary>The marker for an entry, or null for entries that do not change what the charts show.</summary>
    public static Annotation? Describe(AuditEntry entry)
    {
        var by = entry.Actor;
        return entry.Action switch
        {
            AuditActions.VersionRegistered => new(entry.At, Kinds.Version, $"Version {entry.SubjectVersion} registered by {by}"),
            AuditActions.AliasSet or AuditActions.AliasApproved =>
                new(entry.At, Kinds.Promotion, $"Alias {Field(entry.After, "alias") ?? "?"} → {entry.SubjectVersion} ({(entry.Action == AuditActions.AliasApproved ? "approved" : "set")} by {by})"),
            AuditActions.BaselineUploaded => new(entry.At, Kinds.Reference, $"New reference for version {entry.SubjectVersion} ({Field(entry.After, "rows") ?? "?"} rows) by {by}"),
            AuditActions.DriftSettingsChanged => new(entry.At, Kinds.Settings, $"Drift settings changed by {by}"),
            AuditActions.OwnerChanged => new(entry.At, Kinds.Ownership, $"Owner {Field(entry.Before, "team") ?? "none"} → {Field(entry.After, "team") ?? "none"} by {by}"),
            _ => null,
        };
    }

    private static string? Field(string? json, string name)
    {
        if (string.IsNullOrEmpty(json)) return null;
        try
        {
            using var document = JsonDocument.Parse(json);
            return document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty(name, out var value)
                ? value.ValueKind == JsonValueKind.String ? value.GetString() : value.ValueKind == JsonValueKind.Null ? null : value.GetRawText()
                : null;
        }
        catch (JsonException)
        {
            return null; // a truncated field (audit caps) still gets its marker, without the detail
        }
    }
}
