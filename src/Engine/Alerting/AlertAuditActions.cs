namespace ModelWatch.Engine.Alerting;

/// <summary>The alerting lifecycle in the governance audit chain (dotted, subject first, past tense).</summary>
public static class AlertAuditActions
{
    public const string RuleCreated = "alert-rule.created";
    public const string RuleChanged = "alert-rule.changed";
    public const string RuleDeleted = "alert-rule.deleted";
    public const string NotificationsChanged = "alert.notifications-changed";
    public const string SilenceAdded = "silence.added";
    public const string SilenceExpired = "silence.expired";
    public const string Acknowledged = "alert.acknowledged";
    public const string ResolvedByHand = "alert.resolved";
    public const string Escalated = "alert.escalated";
    public const string NotificationSent = "alert.notification-sent";
    public const string NotificationFailed = "alert.notification-failed";
}
