namespace ModelWatch.Engine.Alerting;

/// <summary>One alert: a series from the moment it went pending (or fired) until it resolved.</summary>
public sealed record AlertRecord(
    long Id,
    string Fingerprint,
    string RuleId,
    string RuleName,
    string ModelId,
    string? TeamId,
    string? Feature,
    string Signal,
    string Severity,
    string Status,
    IReadOnlyDictionary<string, string> Labels,
    IReadOnlyDictionary<string, string> Annotations,
    double? Value,
    string? Threshold,
    DateTimeOffset CreatedAt,
    DateTimeOffset? StartsAt,
    DateTimeOffset? EndsAt,
    string? AcknowledgedBy,
    DateTimeOffset? AcknowledgedAt,
    string? AckComment,
    string? ResolvedBy,
    string? ResolveComment,
    DateTimeOffset? EscalatedAt)
{
    public const string Pending = "pending";
    public const string Firing = "firing";
    public const string Resolved = "resolved";
}

/// <summary>Which alerts to list; null means any.</summary>
public sealed record AlertFilter(string? Status = null, string? Model = null, string? Team = null, DateTimeOffset? ResolvedSince = null, int Limit = 500);
