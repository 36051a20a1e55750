using System.Security.Cryptography;
using ModelWatch.Engine.Access;
using ModelWatch.Engine.Audit;
using ModelWatch.Engine.Registry;

namespace ModelWatch.Engine.Alerting;

/// <summary>Creates, changes and deletes rules: authorises (admin or a lead of the owner team), validates, stores and audits.</summary>
public sealed class AlertRuleCommands(AlertRuleStore rules, AlertStore alerts, AlertEvaluator evaluator, RegistryStore registry, AuditLog audit, TimeProvider clock)
{
    public const int MaxRules = 20_000;

    public Outcome<StoredAlertRule> Create(AlertRuleSpec spec, Caller caller)
    {
        var id = "rule_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
        var outcome = RuleValidation.Validate(id, spec, registry);
        if (!outcome.IsOk) return Outcome<StoredAlertRule>.Invalid(outcome.Errors, outcome.Message!);
        var rule = outcome.Value!;
        if (Refusal(rule, caller) is { } refusal) return refusal;
        if (rules.All().Count >= MaxRules) return Outcome<StoredAlertRule>.Conflict($"The portal holds at most {MaxRules} alert rules; delete unused ones first.");
        var now = clock.GetUtcNow();
        audit.Write(scope =>
        {
            rules.Insert(scope.Connection, scope.Transaction, rule, caller.Actor, now);
            scope.Record(new NewAuditEntry(caller.Actor, AlertAuditActions.RuleCreated, rule.Team, rule.Model, After: Audited(rule)));
            return 0;
        });
        return Outcome<StoredAlertRule>.Ok(rules.Find(id)!);
    }

    public Outcome<StoredAlertRule> Update(string id, AlertRuleSpec spec, Caller caller)
    {
        var existing = rules.Find(id);
        if (existing is null) return Outcome<StoredAlertRule>.NotFound(NotFound(id));
        if (Refusal(existing.Rule, caller) is { } refusedOld) return refusedOld;
        var outcome = RuleValidation.Validate(id, spec, registry);
        if (!outcome.IsOk) return Outcome<StoredAlertRule>.Invalid(outcome.Errors, outcome.Message!);
        var rule = outcome.Value!;
        if (Refusal(rule, caller) is { } refusedNew) return refusedNew;
        var now = clock.GetUtcNow();
        audit.Write(scope =>
        {
            rules.Update(scope.Connection, scope.Transaction, rule, caller.Actor, now);
            alerts.ResolveRule(scope.Connection, scope.Transaction, id, caller.Actor, now);
            scope.Record(new NewAuditEntry(caller.Actor, AlertAuditActions.RuleChanged, rule.Team, rule.Model, Before: Audited(existing.Rule), After: Audited(rule)));
            return 0;
        });
        evaluator.ForgetRule(id);
        return Outcome<StoredAlertRule>.Ok(rules.Find(id)!);
    }

    public Outcome<StoredAlertRule> Delete(string id, Caller caller)
    {
        var existing = rules.Find(id);
        if (existing is null) return Outcome<StoredAlertRule>.NotFound(NotFound(id));
        if (Refusal(existing.Rule, caller) is { } refusal) return refusal;
        var now = clock.GetUtcNow();
        audit.Write(scope =>
        {
            rules.Delete(scope.Connection, scope.Transaction, id);
            alerts.ResolveRule(scope.Connection, scope.Transaction, id, caller.Actor, now);
            scope.Record(new NewAuditEntry(caller.Actor, AlertAuditActions.RuleDeleted, existing.Rule.Team, existing.Rule.Model, Before: Audited(existing.Rule)));
            return 0;
        });
        evaluator.ForgetRule(id);
        return Outcome<StoredAlertRule>.Ok(existing);
    }

    /// <summary>Who may see a rule: whoever may read its model, or a member of its team.</summary>
    public bool CanRead(AlertRule rule, Caller caller) => caller.ReadsEverything || OwnerTeam(rule) is { } team && caller.Teams.Contains(team);

    public string? OwnerTeam(AlertRule rule) => rule.Team ?? (rule.Model is { } m ? registry.FindModel(m)?.TeamId : null);

    private Outcome<StoredAlertRule>? Refusal(AlertRule rule, Caller caller)
    {
        if (caller.IsAdmin) return null;
        var team = OwnerTeam(rule);
        if (!caller.IsReadOnly && team is not null && caller.LeadOf.Contains(team)) return null;
        var subject = rule.Model is { } m ? $"model '{m}'" : $"team '{rule.Team}'";
        // An outsider is told nothing about another team's model, not even that it exists (as the model endpoints answer).
        if (!CanRead(rule, caller))
            return new Outcome<StoredAlertRule>(OutcomeKind.NotFound, null, [], $"There is no {subject} you may see; check the id with GET /api/v1/models or /api/v1/teams.");
        return new Outcome<StoredAlertRule>(OutcomeKind.Forbidden, null, [], $"Only an admin or a lead of the owner team may manage alert rules on {subject}.");
    }

    private static string NotFound(string id) => $"There is no alert rule '{id}'; list them with GET /api/v1/alert-rules.";

    private static object Audited(AlertRule rule) => new { rule.Id, spec = rule.ToSpec() };
}
