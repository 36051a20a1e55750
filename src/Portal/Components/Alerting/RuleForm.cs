using System.Globalization;
using System.Text.Json;
using ModelWatch.Engine.Alerting;
using ModelWatch.Engine.Windows;

namespace ModelWatch.Portal.Components.Alerting;

/// <summary>
/// The rule editor's fields as a person fills them in (text and numbers), turned into the same AlertRuleSpec the API
/// takes, so validation, preview and saving run the engine's code with the engine's messages.
/// </summary>
public sealed class RuleForm
{
    public static readonly IReadOnlyList<string> Windows = ["5m", "1h", "24h", "7d"];
    public static readonly IReadOnlyList<string> ConditionTypes = ["threshold", "relative", "band"];
    public static readonly IReadOnlyList<string> Operators = [">", ">=", "<", "<=", "==", "!="];
    public static readonly IReadOnlyList<string> Severities = ["critical", "warning", "info"];
    /// <summary>How far back the preview tries the rule: an hour steps by the minute (a young demo has minutes of history), 7 days by the hour.</summary>
    public static readonly IReadOnlyList<(string Name, TimeSpan Length)> PreviewRanges = [("last hour", TimeSpan.FromHours(1)), ("last day", TimeSpan.FromDays(1)), ("last 7 days", TimeSpan.FromDays(7))];

    public string? Id { get; set; }
    public string Name { get; set; } = "";
    public string Signal { get; set; } = "latency";
    public string Metric { get; set; } = "p95";
    /// <summary>Empty for "any feature" on per-feature signals.</summary>
    public string Feature { get; set; } = "";
    public string Window { get; set; } = "5m";
    public string ConditionType { get; set; } = "threshold";
    public string Op { get; set; } = ">";
    public double? Value { get; set; }
    public string CompareTo { get; set; } = AlertCondition.PreviousWindow;
    public double? K { get; set; } = 3;
    public string LearnFrom { get; set; } = AlertCondition.LearnTrailing;
    public string For { get; set; } = "1m";
    public string KeepFiringFor { get; set; } = "0s";
    public string Severity { get; set; } = "warning";
    public int? MinSamples { get; set; } = RuleValidation.DefaultMinSamples;
    public string Summary { get; set; } = "";
    public string Runbook { get; set; } = "";
    /// <summary>Labels and other annotations of a rule being edited, kept as they were (the form does not show them).</summary>
    public Dictionary<string, string> Labels { get; set; } = [];
    public Dictionary<string, string> OtherAnnotations { get; set; } = [];
    public TimeSpan PreviewRange { get; set; } = TimeSpan.FromHours(1);

    public bool IsNew => Id is null;

    public SignalDefinition? SignalDefinition => AlertSignals.Find(Signal);

    public IReadOnlyList<string> Metrics => SignalDefinition?.Metrics ?? [];

    public bool PerFeature => SignalDefinition?.PerFeature == true;

    /// <summary>A new signal keeps its metric only if the signal has it.</summary>
    public void ChangeSignal(string signal)
    {
        Signal = signal;
        if (!Metrics.Contains(Metric)) Metric = SignalDefinition?.DefaultMetric ?? "";
        if (!PerFeature) Feature = "";
    }

    public AlertRuleSpec ToSpec(string modelId)
    {
        var annotations = new Dictionary<string, string>(OtherAnnotations, StringComparer.Ordinal);
        if (!string.IsNullOrWhiteSpace(Summary)) annotations["summary"] = Summary.Trim();
        if (!string.IsNullOrWhiteSpace(Runbook)) annotations["runbook_url"] = Runbook.Trim();
        var band = ConditionType == "band";
        var condition = new ConditionSpec(
            ConditionType,
            band ? null : Op,
            band || Value is not { } v ? null : JsonSerializer.SerializeToElement(v),
            ConditionType == "relative" ? CompareTo : null,
            band && K is { } k ? JsonSerializer.SerializeToElement(k) : null,
            LearnFrom: band ? LearnFrom : null);
        return new AlertRuleSpec(Name, modelId, null, Signal, Metric, PerFeature && !string.IsNullOrWhiteSpace(Feature) ? Feature : null, Window, condition,
            For, KeepFiringFor, Severity, MinSamples, new Dictionary<string, string>(Labels), annotations);
    }

    public static RuleForm From(AlertRule rule) => new()
    {
        Id = rule.Id,
        Name = rule.Name,
        Signal = rule.Signal,
        Metric = rule.Metric,
        Feature = rule.Feature ?? "",
        Window = rule.Window.ToName(),
        ConditionType = rule.Condition.Type.ToString().ToLowerInvariant(),
        Op = AlertCondition.OpText(rule.Condition.Op),
        Value = rule.Condition.Type == Engine.Alerting.ConditionType.Band ? null : rule.Condition.Value,
        CompareTo = rule.Condition.CompareTo,
        K = rule.Condition.K,
        LearnFrom = rule.Condition.LearnFrom,
        For = Durations.Format(rule.For),
        KeepFiringFor = Durations.Format(rule.KeepFiringFor),
        Severity = rule.Severity,
        MinSamples = rule.MinSamples,
        Summary = rule.Annotations.GetValueOrDefault("summary") ?? "",
        Runbook = rule.Annotations.GetValueOrDefault("runbook_url") ?? "",
        Labels = new Dictionary<string, string>(rule.Labels),
        OtherAnnotations = rule.Annotations.Where(a => a.Key is not ("summary" or "runbook_url")).ToDictionary(a => a.Key, a => a.Value),
    };

    /// <summary>A rule only a team applies to (not this model alone) is edited on the API, not in this form.</summary>
    public static string Describe(AlertRule rule) =>
        $"{rule.Signal} {rule.Metric}{(rule.Feature is null ? "" : $" of {rule.Feature}")} over {rule.Window.ToName()} {rule.ThresholdText}" +
        (rule.For > TimeSpan.Zero ? $" for {Durations.Format(rule.For)}" : "");

    public static string Number(double? value) => value?.ToString("G6", CultureInfo.InvariantCulture) ?? "";
}
