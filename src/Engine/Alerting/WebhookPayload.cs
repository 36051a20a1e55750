using System.Text;
using System.Text.Json.Serialization;

namespace ModelWatch.Engine.Alerting;

/// <summary>The Prometheus Alertmanager webhook body, version 4, field for field.</summary>
public sealed record WebhookMessage(
    [property: JsonPropertyName("version")] string Version,
    [property: JsonPropertyName("groupKey")] string GroupKey,
    [property: JsonPropertyName("truncatedAlerts")] int TruncatedAlerts,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("receiver")] string Receiver,
    [property: JsonPropertyName("groupLabels")] IReadOnlyDictionary<string, string> GroupLabels,
    [property: JsonPropertyName("commonLabels")] IReadOnlyDictionary<string, string> CommonLabels,
    [property: JsonPropertyName("commonAnnotations")] IReadOnlyDictionary<string, string> CommonAnnotations,
    [property: JsonPropertyName("externalURL")] string ExternalUrl,
    [property: JsonPropertyName("alerts")] IReadOnlyList<WebhookAlert> Alerts);

public sealed record WebhookAlert(
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("labels")] IReadOnlyDictionary<string, string> Labels,
    [property: JsonPropertyName("annotations")] IReadOnlyDictionary<string, string> Annotations,
    [property: JsonPropertyName("startsAt")] string StartsAt,
    [property: JsonPropertyName("endsAt")] string EndsAt,
    [property: JsonPropertyName("generatorURL")] string GeneratorUrl,
    [property: JsonPropertyName("fingerprint")] string Fingerprint);

/// <summary>The portal's absolute address (Portal:PublicUrl, or the first address it listens on), for links in notifications.</summary>
public sealed class PortalLinks
{
    public string BaseUrl { get; set; } = "http://localhost:5000";

    public string Alerts => BaseUrl.TrimEnd('/') + "/alerts";

    public string Model(string modelId, DateTimeOffset at) =>
        $"{BaseUrl.TrimEnd('/')}/models/{Uri.EscapeDataString(modelId)}?tab=alerts&at={Uri.EscapeDataString(at.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ"))}";
}

public static class WebhookPayload
{
    /// <summary>Alertmanager's zero time for an alert that has not ended.</summary>
    public const string ZeroTime = "0001-01-01T00:00:00Z";

    public static WebhookMessage Build(string groupKey, string receiver, IReadOnlyDictionary<string, string> groupLabels, IReadOnlyList<AlertRecord> alerts,
        PortalLinks links, int maxAlerts)
    {
        var shown = alerts.Take(maxAlerts).ToList();
        var status = alerts.Any(a => a.Status == AlertRecord.Firing) ? "firing" : "resolved";
        return new WebhookMessage("4", groupKey, alerts.Count - shown.Count, status, receiver, groupLabels,
            Common(alerts.Select(a => a.Labels)), Common(alerts.Select(a => a.Annotations)), links.Alerts,
            shown.Select(a => new WebhookAlert(
                a.Status == AlertRecord.Firing ? "firing" : "resolved", a.Labels, a.Annotations,
                Time(a.StartsAt ?? a.CreatedAt), a.Status == AlertRecord.Resolved && a.EndsAt is { } end ? Time(end) : ZeroTime,
                links.Model(a.ModelId, a.StartsAt ?? a.CreatedAt), a.Fingerprint)).ToList());
    }

    /// <summary>Alertmanager's group key: the route's matchers, then the group labels, each as {name="value", …}.</summary>
    public static string GroupKey(string scope, IReadOnlyDictionary<string, string> groupLabels)
    {
        var route = scope == NotificationSettings.DefaultScope ? "{}" : "{}/" + LabelSet(new Dictionary<string, string> { ["team"] = scope });
        return route + ":" + LabelSet(groupLabels);
    }

    public static string LabelSet(IReadOnlyDictionary<string, string> labels)
    {
        var text = new StringBuilder("{");
        var first = true;
        foreach (var (k, v) in labels.OrderBy(l => l.Key, StringComparer.Ordinal))
        {
            if (!first) text.Append(", ");
            first = false;
            text.Append(k).Append("=\"").Append(v.Replace("\\", "\\\\").Replace("\"", "\\\"").Replace("\n", "\\n")).Append('"');
        }
        return text.Append('}').ToString();
    }

    public static string Time(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture);

    private static SortedDictionary<string, string> Common(IEnumerable<IReadOnlyDictionary<string, string>> sets)
    {
        SortedDictionary<string, string>? common = null;
        foreach (var set in sets)
        {
            if (common is null) { common = new(set.ToDictionary(), StringComparer.Ordinal); continue; }
            foreach (var key in common.Keys.ToList())
                if (!set.TryGetValue(key, out var v) || v != common[key]) common.Remove(key);
        }
        return common ?? new(StringComparer.Ordinal);
    }
}
