using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using ModelWatch.Engine.Alerting;
using ModelWatch.Engine.Storage;
using ModelWatch.Portal.Components.Alerting;
using ModelWatch.Portal.Tests.GovernanceComponents;

namespace ModelWatch.Portal.Tests.AlertingComponents;

/// <summary>
/// The governance test context (real engine on a temp SQLite file, the demo's people and teams) with the alerting
/// pages' view models, so rules, alerts, silences and their refusals are the engine's own.
/// </summary>
public abstract class AlertingTestContext : GovernanceTestContext
{
    protected override void AddServices(IServiceCollection services)
    {
        base.AddServices(services);
        services.AddAlertingPages();
        services.AddSingleton<IFiringAlerts>(sp => sp.GetRequiredService<FiringAlerts>());
        services.AddSingleton<FiringAlerts>();
    }

    public AlertStore Alerts => Services.GetRequiredService<AlertStore>();
    public AlertRuleCommands RuleCommands => Services.GetRequiredService<AlertRuleCommands>();
    public AlertRuleStore RuleStore => Services.GetRequiredService<AlertRuleStore>();
    public AlertEvaluator Evaluator => Services.GetRequiredService<AlertEvaluator>();
    public SilenceStore Silences => Services.GetRequiredService<SilenceStore>();

    /// <summary>An alert as the evaluator stores one, for a rule of the given name on the model.</summary>
    public long Alert(string model, string team, string signal, string severity = "warning", string status = AlertRecord.Firing, string? rule = null, double value = 1.5)
    {
        var name = rule ?? $"{model} {signal}";
        var labels = new Dictionary<string, string> { ["alertname"] = name, ["model"] = model, ["team"] = team, ["severity"] = severity, ["signal"] = signal };
        var annotations = new Dictionary<string, string> { ["summary"] = $"{name} is {value}" };
        using var connection = Services.GetRequiredService<SqliteConnectionFactory>().Open();
        using var transaction = connection.BeginTransaction();
        var start = Clock.GetUtcNow().AddMinutes(-10);
        var id = Alerts.Insert(connection, transaction, new AlertRecord(0, Guid.NewGuid().ToString("N")[..16], "rule_" + name.Replace(' ', '_'), name, model, team, null, signal, severity,
            status, labels, annotations, value, "> 1", start, start, null, null, null, null, null, null, null));
        if (status == AlertRecord.Resolved)
            Alerts.Update(connection, transaction, id, AlertRecord.Resolved, value, "> 1", labels, annotations, null, Clock.GetUtcNow().AddMinutes(-1));
        transaction.Commit();
        return id;
    }

    public StoredAlertRule Rule(string json)
    {
        var spec = JsonSerializer.Deserialize<AlertRuleSpec>(json, new JsonSerializerOptions(JsonSerializerDefaults.Web))!;
        var outcome = RuleCommands.Create(spec, As("admin").Caller);
        Assert.True(outcome.IsOk, outcome.Message);
        return outcome.Value!;
    }
}
