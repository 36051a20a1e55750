using System.Text.Json;
using ModelWatch.Engine.Alerting;

namespace ModelWatch.Portal.Api;

// Response shapes of the alerting endpoints. camelCase on the wire (web defaults).

/// <summary>A series of a rule as the evaluator last saw it: normal, pending, firing, insufficientData…</summary>
public sealed record RuleSeriesResponse(string Model, string? Feature, string State, double? Value, string? Error);

/// <summary>A rule: its id, the normalised spec (every default filled in) and who made and last changed it.</summary>
public sealed record AlertRuleResponse(
    string Id, string Name, string? Model, string? Team, string Signal, string Metric, string? Feature, string Window, ConditionSpec Condition,
    string For, string KeepFiringFor, string Severity, int MinSamples, IReadOnlyDictionary<string, string> Labels, IReadOnlyDictionary<string, string> Annotations,
    string Threshold, string CreatedBy, DateTimeOffset CreatedAt, string UpdatedBy, DateTimeOffset UpdatedAt, IReadOnlyList<RuleSeriesResponse> Series)
{
    public static AlertRuleResponse From(StoredAlertRule stored, IEnumerable<RuleSeriesResponse> series)
    {
        var spec = stored.Rule.ToSpec();
        return new(stored.Rule.Id, spec.Name!, spec.Model, spec.Team, spec.Signal!, spec.Metric!, spec.Feature, spec.Window!, spec.Condition!, spec.For!,
            spec.KeepFiringFor!, spec.Severity!, spec.MinSamples!.Value, spec.Labels!, spec.Annotations!, stored.Rule.ThresholdText,
            stored.CreatedBy, stored.CreatedAt, stored.UpdatedBy, stored.UpdatedAt, series.ToList());
    }
}

/// <summary>POST /api/v1/alert-rules/preview: a rule body as for POST /api/v1/alert-rules, plus the history to try it on.</summary>
public sealed record AlertPreviewRequest(
    string? Name = null, string? Model = null, string? Team = null, string? Signal = null, string? Metric = null, string? Feature = null, string? Window = null,
    ConditionSpec? Condition = null, string? For = null, string? KeepFiringFor = null, string? Severity = null, int? MinSamples = null,
    Dictionary<string, string>? Labels = null, Dictionary<string, string>? Annotations = null, DateTimeOffset? From = null, DateTimeOffset? To = null)
{
    /// <summary>A preview needs no name; a rule being drafted often has none yet.</summary>
    public AlertRuleSpec ToSpec() => new(string.IsNullOrWhiteSpace(Name) ? "preview" : Name, Model, Team, Signal, Metric, Feature, Window, Condition, For,
        KeepFiringFor, Severity, MinSamples, Labels, Annotations);
}

public sealed record PreviewPointResponse(DateTimeOffset Time, double? Value, string State);

public sealed record PreviewSeriesResponse(string Model, string? Feature, IReadOnlyList<PreviewSpan> Firing, IReadOnlyList<PreviewPointResponse> Points);

/// <summary>Every span in which the rule would have fired, with the metric series it saw, step by step.</summary>
public sealed record AlertPreviewResponse(DateTimeOffset From, DateTimeOffset To, int StepSeconds, int FiringSpans, string Threshold, string Note, IReadOnlyList<PreviewSeriesResponse> Series)
{
    public static AlertPreviewResponse Of(PreviewResult r, AlertRule rule) => new(r.From, r.To, (int)r.Step.TotalSeconds, r.FiringSpans, rule.ThresholdText, r.Note,
        r.Series.Select(s => new PreviewSeriesResponse(s.Model, s.Feature, s.Firing, s.Points.Select(p => new PreviewPointResponse(p.Time, p.Value, p.State)).ToList())).ToList());
}

/// <summary>One alert as the inbox lists it; silencedBy names the active silences that mute it.</summary>
public sealed record AlertResponse(
    long Id, string Fingerprint, string Rule, string RuleName, string Model, string? Team, string? Feature, string Signal, string Severity, string State,
    IReadOnlyDictionary<string, string> Labels, IReadOnlyDictionary<string, string> Annotations, double? Value, string? Threshold,
    DateTimeOffset? StartsAt, DateTimeOffset? EndsAt, string? AcknowledgedBy, DateTimeOffset? AcknowledgedAt, string? AckComment,
    string? ResolvedBy, string? ResolveComment, DateTimeOffset? EscalatedAt, IReadOnlyList<string> SilencedBy)
{
    public static AlertResponse From(AlertRecord a, IReadOnlyList<Silence> silences, DateTimeOffset now) => new(
        a.Id, a.Fingerprint, a.RuleId, a.RuleName, a.ModelId, a.TeamId, a.Feature, a.Signal, a.Severity, a.Status, a.Labels, a.Annotations, a.Value, a.Threshold,
        a.StartsAt ?? a.CreatedAt, a.EndsAt, a.AcknowledgedBy, a.AcknowledgedAt, a.AckComment, a.ResolvedBy, a.ResolveComment, a.EscalatedAt,
        silences.Where(s => s.Silences(a, now)).Select(s => s.Id).ToList());
}

public sealed record AckRequest(string? Comment);

public sealed record SilenceResponse(
    string Id, string Status, IReadOnlyList<Matcher> Matchers, DateTimeOffset StartsAt, DateTimeOffset EndsAt, string Comment, string? Team,
    string CreatedBy, DateTimeOffset CreatedAt, string? ExpiredBy)
{
    public static SilenceResponse From(Silence s, DateTimeOffset now) =>
        new(s.Id, s.Status(now), s.Matchers, s.StartsAt, s.EndsAt, s.Comment, s.Team, s.CreatedBy, s.CreatedAt, s.ExpiredBy);
}

/// <summary>A scope's notification settings; isDefault says they are not stored but inherited (the admins' defaults or the built-in receiver).</summary>
public sealed record NotificationSettingsResponse(string Scope, bool IsDefault, NotificationSettingsSpec Settings);

public sealed record DeliveryAttemptResponse(DateTimeOffset At, bool Ok, string Answer);

/// <summary>One notification to one receiver with every attempt and its answer. Payload is the body sent (the v4 webhook JSON, or the email).</summary>
public sealed record DeliveryResponse(
    long Id, string GroupKey, string Scope, string Receiver, string Kind, string Target, string Reason, string Status, int Attempts,
    DateTimeOffset CreatedAt, DateTimeOffset NextAttemptAt, DateTimeOffset GiveUpAt, DateTimeOffset? SentAt, string? LastAnswer,
    IReadOnlyList<long> Alerts, JsonElement Payload, IReadOnlyList<DeliveryAttemptResponse> AttemptLog)
{
    public static DeliveryResponse From(Delivery d, IReadOnlyList<DeliveryAttempt> attempts, IEnumerable<long> alerts)
    {
        using var document = JsonDocument.Parse(d.Payload);
        return new(d.Id, d.GroupKey, d.Scope, d.Receiver, d.Kind, d.Target, d.Reason, d.Status, d.Attempts, d.CreatedAt, d.NextAttemptAt, d.GiveUpAt, d.SentAt,
            d.LastAnswer, alerts.ToList(), document.RootElement.Clone(), attempts.Select(a => new DeliveryAttemptResponse(a.At, a.Ok, a.Answer)).ToList());
    }
}
