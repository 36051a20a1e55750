using ModelWatch.Engine.Access;
using ModelWatch.Engine.Audit;
using ModelWatch.Engine.Registry;

namespace ModelWatch.Engine.Alerting;

/// <summary>Acknowledge and resolve alerts: members of the owner team, or admins; both audited.</summary>
public sealed class AlertCommands(AlertStore alerts, AlertEvaluator evaluator, RegistryStore registry, AuditLog audit, TimeProvider clock)
{
    public bool CanRead(AlertRecord alert, Caller caller) => caller.ReadsEverything || (alert.TeamId is { } t && caller.Teams.Contains(t));

    public Outcome<AlertRecord> Acknowledge(long id, string? comment, Caller caller) => Act(id, comment, caller, AlertAuditActions.Acknowledged, (scope, alert, now) =>
    {
        if (alert.AcknowledgedBy is not null) return $"Alert {id} was already acknowledged by {alert.AcknowledgedBy}.";
        return alerts.Acknowledge(scope.Connection, scope.Transaction, id, caller.Actor, comment, now) ? null : $"Alert {id} is resolved; there is nothing to acknowledge.";
    });

    public Outcome<AlertRecord> Resolve(long id, string? comment, Caller caller)
    {
        var outcome = Act(id, comment, caller, AlertAuditActions.ResolvedByHand, (scope, _, now) =>
            alerts.Resolve(scope.Connection, scope.Transaction, id, caller.Actor, comment, now) ? null : $"Alert {id} is already resolved.");
        if (outcome.IsOk) evaluator.Forget(id);
        return outcome;
    }

    private Outcome<AlertRecord> Act(long id, string? comment, Caller caller, string action, Func<AuditScope, AlertRecord, DateTimeOffset, string?> change)
    {
        if (comment is { Length: > 2000 }) return Outcome<AlertRecord>.Invalid("comment", "'comment' is at most 2000 characters.");
        var alert = alerts.Find(id);
        if (alert is null || !CanRead(alert, caller)) return Outcome<AlertRecord>.NotFound($"There is no alert {id} you may see; list them with GET /api/v1/alerts.");
        var model = registry.FindModel(alert.ModelId);
        var allowed = caller.IsAdmin || (!caller.IsReadOnly && (model is not null ? caller.CanWrite(model) : alert.TeamId is { } t && caller.Teams.Contains(t)));
        if (!allowed) return new(OutcomeKind.Forbidden, null, [], $"Only members of team '{alert.TeamId ?? "(none)"}' or an admin may act on alert {id}.");
        var now = clock.GetUtcNow();
        var conflict = audit.Write(scope =>
        {
            var refused = change(scope, alert, now);
            if (refused is not null) { scope.Rollback(); return refused; }
            scope.Record(new NewAuditEntry(caller.Actor, action, alert.TeamId, alert.ModelId, After: new { alert = id, alert.RuleName, alert.Fingerprint, comment }, Reason: comment));
            return null;
        });
        return conflict is null ? Outcome<AlertRecord>.Ok(alerts.Find(id)!) : Outcome<AlertRecord>.Conflict(conflict);
    }
}
