using System.Text.Json;
using System.Text.RegularExpressions;
using ModelWatch.Engine.Registry;
using ModelWatch.Engine.Windows;

namespace ModelWatch.Engine.Alerting;

/// <summary>Turns a client's rule into a validated <see cref="AlertRule"/>, or every field that is wrong and how to fix it.</summary>
public static partial class RuleValidation
{
    public const int DefaultMinSamples = 100;
    public static readonly IReadOnlySet<string> ReservedLabels = new HashSet<string>(StringComparer.Ordinal) { "alertname", "model", "team", "severity", "signal", "feature" };
    private static readonly string[] Severities = ["critical", "warning", "info"];
    private static readonly Dictionary<string, Comparison> Ops = new(StringComparer.Ordinal)
    {
        [">"] = Comparison.Greater, [">="] = Comparison.GreaterOrEqual, ["<"] = Comparison.Less,
        ["<="] = Comparison.LessOrEqual, ["=="] = Comparison.Equal, ["!="] = Comparison.NotEqual,
    };

    /// <param name="registry">Null when re-reading a stored rule: the model and team were checked when it was saved.</param>
    public static Outcome<AlertRule> Validate(string id, AlertRuleSpec spec, RegistryStore? registry)
    {
        var errors = new List<FieldError>();
        var name = spec.Name?.Trim();
        if (string.IsNullOrEmpty(name) || name.Length > 200) errors.Add(new("name", "'name' is required (at most 200 characters), e.g. \"fraud p95 over SLO\"."));

        ModelDefinition? model = null;
        var modelId = Blank(spec.Model);
        var teamId = Blank(spec.Team);
        if ((modelId is null) == (teamId is null))
            errors.Add(new("model", "Give exactly one of 'model' (one model) or 'team' (every model the team owns)."));
        else if (registry is not null && modelId is not null && (model = registry.FindModel(modelId)) is null)
            errors.Add(new("model", $"Model '{modelId}' is not registered; check the id with GET /api/v1/models."));
        else if (registry is not null && teamId is not null && registry.FindTeam(teamId) is null)
            errors.Add(new("team", $"Team '{teamId}' does not exist; check the id with GET /api/v1/teams."));

        var signal = AlertSignals.Find(spec.Signal);
        string metric = "";
        if (signal is null)
            errors.Add(new("signal", $"Unknown signal '{spec.Signal}'. Use one of: {string.Join(", ", AlertSignals.All.Select(s => s.Name))}."));
        else
        {
            metric = Blank(spec.Metric) ?? signal.DefaultMetric;
            if (!signal.Metrics.Contains(metric))
                errors.Add(new("metric", $"Signal '{signal.Name}' has no metric '{metric}'. Use one of: {string.Join(", ", signal.Metrics)}."));
            else if (model is not null && signal.Name == "performance" && !MetricFitsTask(metric, model.Task))
                errors.Add(new("metric", $"Metric '{metric}' does not apply to {model.Task.ToName()} model '{model.Id}'."));
        }

        var feature = Blank(spec.Feature);
        if (feature is not null && signal is not null)
        {
            if (!signal.PerFeature) errors.Add(new("feature", $"Signal '{signal.Name}' has no features; 'feature' applies to featureDrift and dataQuality."));
            else if (model is not null && !model.TryGetFeatureOrdinal(feature, out _))
                errors.Add(new("feature", $"Model '{model.Id}' has no feature '{feature}'. Its features: {string.Join(", ", model.Features.Select(f => f.Name))}."));
        }

        var window = SummaryWindow.OneHour;
        if (spec.Window is not null && (!SummaryWindows.TryParse(spec.Window, out window) || spec.Window == ""))
            errors.Add(new("window", $"Unknown window '{spec.Window}'. Use one of: {string.Join(", ", SummaryWindows.All.Select(w => w.ToName()))}."));

        var condition = Condition(spec.Condition, signal, metric, window, errors);
        var forDuration = Duration(spec.For, "for", errors);
        var keepFiring = Duration(spec.KeepFiringFor, "keepFiringFor", errors);

        var severity = Blank(spec.Severity) ?? "warning";
        if (!Severities.Contains(severity)) errors.Add(new("severity", $"Unknown severity '{severity}'. Use critical, warning or info."));

        var minSamples = spec.MinSamples ?? DefaultMinSamples;
        if (minSamples is < 0 or > 1_000_000_000) errors.Add(new("minSamples", "'minSamples' is between 0 and 1000000000 (default 100)."));

        var labels = Labels(spec.Labels, errors);
        var annotations = Annotations(spec.Annotations, errors);

        if (errors.Count > 0) return Outcome<AlertRule>.Invalid(errors, errors.Count == 1 ? errors[0].Reason : $"The rule has {errors.Count} invalid fields.");
        return Outcome<AlertRule>.Ok(new AlertRule(id, name!, modelId, teamId, signal!.Name, metric, feature, window, condition!, forDuration, keepFiring,
            severity, minSamples, labels, annotations));
    }

    private static AlertCondition? Condition(ConditionSpec? spec, SignalDefinition? signal, string? metric, SummaryWindow window, List<FieldError> errors)
    {
        if (spec is null)
        {
            // noData needs no condition: no event for the length of the window.
            if (signal?.Name == "noData") return new AlertCondition(ConditionType.Threshold, Comparison.Greater, window.Length().TotalMinutes, AlertCondition.PreviousWindow, 3, 24, "both", 1, 1);
            errors.Add(new("condition", "'condition' is required, e.g. { \"type\": \"threshold\", \"op\": \">\", \"value\": 80 }."));
            return null;
        }
        var before = errors.Count;
        var type = spec.Type switch
        {
            "threshold" => ConditionType.Threshold,
            "relative" => ConditionType.Relative,
            "band" => ConditionType.Band,
            _ => (ConditionType?)null,
        };
        if (type is null) { errors.Add(new("condition.type", $"Unknown condition type '{spec.Type}'. Use threshold, relative or band.")); return null; }

        var op = Comparison.Greater;
        double value = 0;
        if (type != ConditionType.Band)
        {
            if (spec.Op is null || !Ops.TryGetValue(spec.Op, out op))
                errors.Add(new("condition.op", $"Unknown operator '{spec.Op}'. Use one of: {string.Join(" ", Ops.Keys)}."));
            if (spec.Value is not { ValueKind: JsonValueKind.Number } number || !number.TryGetDouble(out value) || !double.IsFinite(value))
                errors.Add(new("condition.value", $"'condition.value' must be a number{(spec.Value is { } v ? $", not {Kind(v)}" : "")}, e.g. 80{(type == ConditionType.Relative ? " (percent)" : "")}."));
        }
        var compareTo = spec.CompareTo ?? AlertCondition.PreviousWindow;
        if (type == ConditionType.Relative && compareTo is not (AlertCondition.PreviousWindow or AlertCondition.WeekAgo))
            errors.Add(new("condition.compareTo", $"Unknown comparison '{compareTo}'. Use previousWindow or weekAgo."));

        double k = 3;
        if (spec.K is { } kElement && (kElement.ValueKind != JsonValueKind.Number || !kElement.TryGetDouble(out k) || k is <= 0 or > 20))
            errors.Add(new("condition.k", "'condition.k' is a number above 0 and at most 20 (default 3)."));
        var trailing = spec.Trailing ?? 24;
        if (trailing is < 3 or > 168) errors.Add(new("condition.trailing", "'condition.trailing' is between 3 and 168 windows (default 24)."));
        var direction = spec.Direction ?? "both";
        if (direction is not ("both" or "above" or "below")) errors.Add(new("condition.direction", "'condition.direction' is both, above or below."));

        var ofLast = spec.OfLast ?? spec.MinFailing ?? 1;
        var minFailing = spec.MinFailing ?? ofLast;
        if (ofLast is < 1 or > 60) errors.Add(new("condition.ofLast", "'condition.ofLast' is between 1 and 60 evaluations."));
        else if (minFailing < 1 || minFailing > ofLast) errors.Add(new("condition.minFailing", $"'condition.minFailing' is between 1 and ofLast ({ofLast})."));

        var learnFrom = spec.LearnFrom ?? AlertCondition.LearnTrailing;
        var chunks = spec.Chunks ?? AlertCondition.DefaultChunks;
        if (learnFrom is not (AlertCondition.LearnTrailing or AlertCondition.FromReference))
            errors.Add(new("condition.learnFrom", $"Unknown 'condition.learnFrom' '{learnFrom}'. Use trailing (the rule's own history) or reference (chunks of the reference baseline)."));
        else if (learnFrom == AlertCondition.FromReference && type != ConditionType.Band)
            errors.Add(new("condition.learnFrom", "'condition.learnFrom' applies to band conditions only."));
        else if (learnFrom == AlertCondition.FromReference && signal is not null && metric is not null && !ReferenceBands.CanLearn(signal.Name, metric))
            errors.Add(new("condition.learnFrom", $"A band can be learned from reference chunks for {ReferenceBands.Learnable}; '{signal.Name}' {metric} is not in the reference, so use learnFrom trailing."));
        if (chunks is < ReferenceBands.MinChunks or > ReferenceBands.MaxChunks)
            errors.Add(new("condition.chunks", $"'condition.chunks' is between {ReferenceBands.MinChunks} and {ReferenceBands.MaxChunks} (default {AlertCondition.DefaultChunks})."));

        return errors.Count > before ? null : new AlertCondition(type.Value, op, value, compareTo, k, trailing, direction, minFailing, ofLast, learnFrom, chunks);
    }

    private static TimeSpan Duration(string? text, string field, List<FieldError> errors)
    {
        if (text is null) return TimeSpan.Zero;
        if (Durations.TryParse(text, out var value)) return value;
        errors.Add(new(field, $"'{field}' is a duration such as \"30s\", \"5m\", \"1h30m\" or \"0s\", at most 7d (got '{text}')."));
        return TimeSpan.Zero;
    }

    private static Dictionary<string, string> Labels(Dictionary<string, string>? labels, List<FieldError> errors)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        if (labels is null) return result;
        if (labels.Count > 20) { errors.Add(new("labels", "At most 20 labels.")); return result; }
        foreach (var (key, value) in labels)
        {
            if (!LabelName().IsMatch(key)) errors.Add(new($"labels.{key}", $"Label name '{key}' must match [a-zA-Z_][a-zA-Z0-9_]* (at most 64 characters)."));
            else if (ReservedLabels.Contains(key)) errors.Add(new($"labels.{key}", $"Label '{key}' is set by the portal; choose another name."));
            else if (value is null || value.Length > 200) errors.Add(new($"labels.{key}", $"Label '{key}' needs a value of at most 200 characters."));
            else result[key] = value;
        }
        return result;
    }

    private static Dictionary<string, string> Annotations(Dictionary<string, string>? annotations, List<FieldError> errors)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        if (annotations is null) return result;
        if (annotations.Count > 20) { errors.Add(new("annotations", "At most 20 annotations.")); return result; }
        foreach (var (key, value) in annotations)
        {
            if (!LabelName().IsMatch(key)) errors.Add(new($"annotations.{key}", $"Annotation name '{key}' must match [a-zA-Z_][a-zA-Z0-9_]*."));
            else if (value is null || value.Length > 2000) errors.Add(new($"annotations.{key}", $"Annotation '{key}' needs a value of at most 2000 characters."));
            else result[key] = value;
        }
        return result;
    }

    private static bool MetricFitsTask(string metric, ModelTask task) => task switch
    {
        ModelTask.Regression => metric is "mae" or "rmse" or "mape" or "r2",
        ModelTask.MulticlassClassification => metric is "accuracy" or "f1",
        _ => metric is not ("mae" or "rmse" or "mape" or "r2"),
    };

    private static string Kind(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.String => $"the string \"{e.GetString()}\"",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.Null => "null",
        _ => e.ValueKind.ToString().ToLowerInvariant(),
    };

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    [GeneratedRegex("^[a-zA-Z_][a-zA-Z0-9_]{0,63}$")]
    private static partial Regex LabelName();
}
