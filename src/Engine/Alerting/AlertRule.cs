using System.Text.Json;
using ModelWatch.Engine.Windows;

namespace ModelWatch.Engine.Alerting;

/// <summary>A rule as a client sends it (POST/PUT /api/v1/alert-rules and preview); everything optional so that validation can name what is missing.</summary>
public sealed record AlertRuleSpec(
    string? Name = null,
    string? Model = null,
    string? Team = null,
    string? Signal = null,
    string? Metric = null,
    string? Feature = null,
    string? Window = null,
    ConditionSpec? Condition = null,
    string? For = null,
    string? KeepFiringFor = null,
    string? Severity = null,
    int? MinSamples = null,
    Dictionary<string, string>? Labels = null,
    Dictionary<string, string>? Annotations = null);

/// <summary>
/// threshold: op + value. relative: op + value in percent against compareTo (previousWindow | weekAgo).
/// band: mean ± k·σ learned from the trailing windows (learnFrom "trailing", the default: trailing, default 24, as WhyLabs
/// does) or from the reference cut into chunks (learnFrom "reference": chunks, default 10, as NannyML does).
/// Any of them fails only when minFailing of the last ofLast evaluations fail.
/// </summary>
public sealed record ConditionSpec(
    string? Type = null,
    string? Op = null,
    JsonElement? Value = null,
    string? CompareTo = null,
    JsonElement? K = null,
    int? Trailing = null,
    string? Direction = null,
    int? MinFailing = null,
    int? OfLast = null,
    string? LearnFrom = null,
    int? Chunks = null);

public enum ConditionType { Threshold, Relative, Band }

public enum Comparison { Greater, GreaterOrEqual, Less, LessOrEqual, Equal, NotEqual }

/// <summary>A validated condition, ready for the evaluator.</summary>
public sealed record AlertCondition(
    ConditionType Type,
    Comparison Op,
    double Value,
    string CompareTo,
    double K,
    int Trailing,
    string Direction,
    int MinFailing,
    int OfLast,
    string LearnFrom = "trailing",
    int Chunks = 10)
{
    public const string PreviousWindow = "previousWindow";
    public const string WeekAgo = "weekAgo";
    public const string LearnTrailing = "trailing";
    public const string FromReference = "reference";
    public const int DefaultChunks = 10;

    /// <summary>A band learned from reference chunks rather than from the series' own history.</summary>
    public bool LearnsFromReference => Type == ConditionType.Band && LearnFrom == FromReference;

    public static string OpText(Comparison op) => op switch
    {
        Comparison.Greater => ">",
        Comparison.GreaterOrEqual => ">=",
        Comparison.Less => "<",
        Comparison.LessOrEqual => "<=",
        Comparison.Equal => "==",
        _ => "!=",
    };

    public static bool Compare(double left, Comparison op, double right) => op switch
    {
        Comparison.Greater => left > right,
        Comparison.GreaterOrEqual => left >= right,
        Comparison.Less => left < right,
        Comparison.LessOrEqual => left <= right,
        Comparison.Equal => left == right,
        _ => left != right,
    };
}

/// <summary>A stored, validated rule. Exactly one of Model and Team is set: a team rule covers every model the team owns.</summary>
public sealed record AlertRule(
    string Id,
    string Name,
    string? Model,
    string? Team,
    string Signal,
    string Metric,
    string? Feature,
    SummaryWindow Window,
    AlertCondition Condition,
    TimeSpan For,
    TimeSpan KeepFiringFor,
    string Severity,
    int MinSamples,
    IReadOnlyDictionary<string, string> Labels,
    IReadOnlyDictionary<string, string> Annotations)
{
    /// <summary>The rule back in the shape clients send, with every default filled in.</summary>
    public AlertRuleSpec ToSpec() => new(Name, Model, Team, Signal, Metric, Feature, Window.ToName(),
        new ConditionSpec(
            Condition.Type.ToString().ToLowerInvariant(),
            Condition.Type == ConditionType.Band ? null : AlertCondition.OpText(Condition.Op),
            Condition.Type == ConditionType.Band ? null : JsonSerializer.SerializeToElement(Condition.Value),
            Condition.Type == ConditionType.Relative ? Condition.CompareTo : null,
            Condition.Type == ConditionType.Band ? JsonSerializer.SerializeToElement(Condition.K) : null,
            Condition.Type == ConditionType.Band && !Condition.LearnsFromReference ? Condition.Trailing : null,
            Condition.Type == ConditionType.Band ? Condition.Direction : null,
            Condition.MinFailing, Condition.OfLast,
            Condition.Type == ConditionType.Band ? Condition.LearnFrom : null,
            Condition.LearnsFromReference ? Condition.Chunks : null),
        Durations.Format(For), Durations.Format(KeepFiringFor), Severity, MinSamples,
        new Dictionary<string, string>(Labels), new Dictionary<string, string>(Annotations));

    /// <summary>What the condition compares against, for {{threshold}} and the alert list.</summary>
    public string ThresholdText => Condition.Type switch
    {
        ConditionType.Threshold => $"{AlertCondition.OpText(Condition.Op)} {Condition.Value:G6}",
        ConditionType.Relative => $"{AlertCondition.OpText(Condition.Op)} {Condition.Value:G6}% vs {Condition.CompareTo}",
        _ => $"outside mean ± {Condition.K:G3}σ of {(Condition.LearnsFromReference ? $"{Condition.Chunks} reference chunks" : "the trailing windows")} ({Condition.Direction})",
    };
}

/// <summary>A stored rule with who made it and when.</summary>
public sealed record StoredAlertRule(AlertRule Rule, string CreatedBy, DateTimeOffset CreatedAt, string UpdatedBy, DateTimeOffset UpdatedAt);
