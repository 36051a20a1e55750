using Dapper;
using ModelWatch.Engine.Access;
using ModelWatch.Engine.Audit;
using ModelWatch.Engine.Storage;

namespace ModelWatch.Engine.Registry;

/// <summary>A change to what a model is judged against: monthly budget, latency SLO, decision threshold.</summary>
public sealed record ModelLimitsChange(double? MonthlyBudgetUsd, double? LatencySloMs, double? DecisionThreshold, string? Reason);

public sealed record ModelLimits(double? MonthlyBudgetUsd, double? LatencySloMs, double DecisionThreshold);

/// <summary>Changes a model's budget, SLO and threshold together with their audit entry (before, after, reason).</summary>
public sealed class ModelLimitsStore(RegistryStore registry, AuditLog audit)
{
    private const string Update = """
        UPDATE models SET monthly_budget_usd = @MonthlyBudgetUsd, latency_slo_ms = @LatencySloMs, decision_threshold = @DecisionThreshold
        WHERE pk = @Pk
        """;

    public Outcome<ModelLimits> Change(ModelDefinition model, ModelLimitsChange change, Caller caller)
    {
        if (!caller.CanWrite(model)) return new Outcome<ModelLimits>(OutcomeKind.Forbidden, null, [], $"Only the owning team or an admin may change the limits of '{model.Id}'.");
        var errors = new List<FieldError>();
        if (change.MonthlyBudgetUsd is { } budget && !(budget >= 0 && double.IsFinite(budget))) errors.Add(new("monthlyBudgetUsd", "'monthlyBudgetUsd' must be a finite amount, zero or more."));
        if (change.LatencySloMs is { } slo && !(slo > 0 && double.IsFinite(slo))) errors.Add(new("latencySloMs", "'latencySloMs' must be a finite, positive number of milliseconds."));
        if (change.DecisionThreshold is { } t && !(t > 0 && t < 1)) errors.Add(new("decisionThreshold", "'decisionThreshold' must be between 0 and 1 (exclusive)."));
        if (string.IsNullOrWhiteSpace(change.Reason)) errors.Add(new("reason", "Say why the limits change ('reason'): the audit trail records it."));
        if (change.MonthlyBudgetUsd is null && change.LatencySloMs is null && change.DecisionThreshold is null)
            errors.Add(new("monthlyBudgetUsd", "Send at least one of 'monthlyBudgetUsd', 'latencySloMs', 'decisionThreshold'."));
        if (errors.Count > 0) return Outcome<ModelLimits>.Invalid(errors, errors.Count == 1 ? errors[0].Reason : $"{errors.Count} limits are invalid.");

        var before = new ModelLimits(model.MonthlyBudgetUsd, model.LatencySloMs, model.DecisionThreshold);
        var after = new ModelLimits(change.MonthlyBudgetUsd ?? before.MonthlyBudgetUsd, change.LatencySloMs ?? before.LatencySloMs, change.DecisionThreshold ?? before.DecisionThreshold);
        audit.Write(scope =>
        {
            scope.Connection.Execute(Update, new { after.MonthlyBudgetUsd, after.LatencySloMs, after.DecisionThreshold, model.Pk }, scope.Transaction);
            scope.Record(new NewAuditEntry(caller.Actor, AuditActions.LimitsChanged, model.TeamId, model.Id, Before: before, After: after, Reason: change.Reason!.Trim()));
            return 0;
        });
        registry.Invalidate();
        return Outcome<ModelLimits>.Ok(after);
    }
}
