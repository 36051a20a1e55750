using System.Globalization;
using System.Text;
using ModelWatch.Engine.Registry;

namespace ModelWatch.Engine.Alerting;

/// <summary>An alert's labels (its identity), fingerprint and rendered annotations, as Alertmanager names them.</summary>
public static class AlertLabels
{
    public static SortedDictionary<string, string> For(AlertRule rule, ModelDefinition model, string? feature)
    {
        var labels = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (k, v) in rule.Labels) labels[k] = v;
        labels["alertname"] = rule.Name;
        labels["model"] = model.Id;
        if (model.TeamId is { } team) labels["team"] = team;
        labels["severity"] = rule.Severity;
        labels["signal"] = rule.Signal;
        if (!string.IsNullOrEmpty(feature)) labels["feature"] = feature;
        return labels;
    }

    /// <summary>Alertmanager's fingerprint: FNV-1a (64 bit) over the labels sorted by name, each name and value followed by 0xff, in hex.</summary>
    public static string Fingerprint(IReadOnlyDictionary<string, string> labels)
    {
        const ulong offset = 14695981039346656037, prime = 1099511628211;
        var hash = offset;
        foreach (var (name, value) in labels.OrderBy(l => l.Key, StringComparer.Ordinal))
        {
            foreach (var b in Encoding.UTF8.GetBytes(name)) hash = (hash ^ b) * prime;
            hash = (hash ^ 0xff) * prime;
            foreach (var b in Encoding.UTF8.GetBytes(value)) hash = (hash ^ b) * prime;
            hash = (hash ^ 0xff) * prime;
        }
        return hash.ToString("x16", CultureInfo.InvariantCulture);
    }

    /// <summary>The rule's annotations with {{value}}, {{threshold}}, {{model}}, {{feature}}, {{team}} and {{onCall}} filled in, plus runbook_url and on_call.</summary>
    public static SortedDictionary<string, string> Annotations(AlertRule rule, ModelDefinition model, string? feature, double? value, string? threshold, string? onCall)
    {
        var valueText = value is { } v ? v.ToString("G4", CultureInfo.InvariantCulture) : "n/a";
        string Render(string template) => template
            .Replace("{{value}}", valueText, StringComparison.Ordinal)
            .Replace("{{threshold}}", threshold ?? rule.ThresholdText, StringComparison.Ordinal)
            .Replace("{{model}}", model.Id, StringComparison.Ordinal)
            .Replace("{{feature}}", feature ?? "", StringComparison.Ordinal)
            .Replace("{{team}}", model.TeamId ?? "", StringComparison.Ordinal)
            .Replace("{{onCall}}", onCall ?? "", StringComparison.Ordinal);
        var result = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (k, t) in rule.Annotations) result[k == "runbook" ? "runbook_url" : k] = Render(t);
        if (!result.ContainsKey("summary"))
            result["summary"] = $"{rule.Signal} {rule.Metric}{(feature is null ? "" : $" of '{feature}'")} on {model.Id} is {valueText} ({threshold ?? rule.ThresholdText})";
        if (!string.IsNullOrEmpty(onCall)) result["on_call"] = onCall;
        return result;
    }
}
