using System.ComponentModel.DataAnnotations;

namespace ModelWatch.Engine.Alerting;

/// <summary>Portal:Alerting. Every bound has a key a person can set.</summary>
public sealed class AlertingOptions : IValidatableObject
{
    /// <summary>Seconds between two evaluation rounds of every rule.</summary>
    public int EvaluationIntervalSeconds { get; set; } = 15;

    /// <summary>How long a failing delivery is retried (exponential backoff) before it is given up.</summary>
    public double MaxDeliveryHours { get; set; } = 24;

    /// <summary>The first retry waits this long; each later one twice as long, up to MaxBackoffSeconds.</summary>
    public int FirstRetrySeconds { get; set; } = 10;

    public int MaxBackoffSeconds { get; set; } = 3600;

    /// <summary>Per webhook call.</summary>
    public int DeliveryTimeoutSeconds { get; set; } = 10;

    /// <summary>Resolved alerts older than this leave the inbox (they stay in the database and the audit log).</summary>
    public int ResolvedInboxHours { get; set; } = 24;

    /// <summary>Alertmanager truncates large groups; so do we (truncatedAlerts says how many were left out).</summary>
    public int MaxAlertsPerNotification { get; set; } = 100;

    public SmtpOptions Smtp { get; set; } = new();

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (EvaluationIntervalSeconds is < 1 or > 3600)
            yield return new("Portal:Alerting:EvaluationIntervalSeconds must be between 1 and 3600.", [nameof(EvaluationIntervalSeconds)]);
        if (MaxDeliveryHours is <= 0 or > 720)
            yield return new("Portal:Alerting:MaxDeliveryHours must be above 0 and at most 720.", [nameof(MaxDeliveryHours)]);
        if (FirstRetrySeconds < 1 || MaxBackoffSeconds < FirstRetrySeconds)
            yield return new("Portal:Alerting:FirstRetrySeconds must be at least 1 and at most MaxBackoffSeconds.", [nameof(FirstRetrySeconds)]);
        if (DeliveryTimeoutSeconds is < 1 or > 300)
            yield return new("Portal:Alerting:DeliveryTimeoutSeconds must be between 1 and 300.", [nameof(DeliveryTimeoutSeconds)]);
        if (MaxAlertsPerNotification is < 1 or > 10_000)
            yield return new("Portal:Alerting:MaxAlertsPerNotification must be between 1 and 10000.", [nameof(MaxAlertsPerNotification)]);
    }
}

/// <summary>Portal:Alerting:Smtp. Without a Host, email receivers fail with a message that says so.</summary>
public sealed class SmtpOptions
{
    public string? Host { get; set; }
    public int Port { get; set; } = 25;
    public bool UseTls { get; set; }
    public string? Username { get; set; }
    public string? Password { get; set; }
    public string From { get; set; } = "modelwatch@localhost";
}
