using System.Text.Json;
using Microsoft.Extensions.Logging;
using ModelWatch.Engine.Access;
using ModelWatch.Engine.Alerting;

namespace ModelWatch.Engine.Demo;

/// <summary>
/// The demo's alert rules, one per episode kind that a person pages on (latency spike, feature drift, cost jump),
/// created through <see cref="AlertRuleCommands"/> like any admin's rules. With no notification settings saved, their
/// alerts go to the built-in receiver, so a new user sees rule, alert and notification within one episode cycle.
/// Thresholds sit between what the demo's 5-minute summaries show outside and during the episodes (DemoAlertRulesTests).
/// </summary>
public sealed class DemoAlertRules(AlertRuleCommands commands, AlertRuleStore rules, ILogger<DemoAlertRules> logger)
{
    /// <summary>Who the audit log names as the author of the demo's rules.</summary>
    public static readonly Caller Author = new("system:demo", Roles.Admin, new HashSet<string>(), new HashSet<string>());

    public static IReadOnlyList<AlertRuleSpec> Specs { get; } =
    [
        new("ticket-router p95 over SLO", Model: "ticket-router", Signal: "latency", Metric: "p95", Window: "5m",
            Condition: Threshold(">", 200), For: "1m", KeepFiringFor: "1m", Severity: "critical", MinSamples: 100,
            Annotations: new() { ["summary"] = "ticket-router p95 latency {{value}} ms is over its 200 ms SLO", ["runbook_url"] = "https://runbooks.example.com/ticket-router/latency" }),
        // Country, not amount: amount's long tail moves its Wasserstein distance from 0.2 to 0.7 in quiet windows too.
        new("fraud-detector country mix drifted", Model: "fraud-detector", Signal: "featureDrift", Metric: "value", Feature: "country", Window: "5m",
            Condition: Threshold(">", 0.1), For: "1m", KeepFiringFor: "1m", Severity: "warning", MinSamples: 500,
            Annotations: new() { ["summary"] = "fraud-detector's country mix drifted from the reference (Jensen-Shannon {{value}}, threshold {{threshold}})", ["runbook_url"] = "https://runbooks.example.com/fraud-detector/drift" }),
        new("demand-forecast cost per 1k over budget", Model: "demand-forecast", Signal: "cost", Metric: "per1k", Window: "5m",
            Condition: Threshold(">", 0.4), For: "1m", KeepFiringFor: "1m", Severity: "warning", MinSamples: 0,
            Annotations: new() { ["summary"] = "demand-forecast costs {{value}} USD per 1,000 predictions (threshold {{threshold}})", ["runbook_url"] = "https://runbooks.example.com/demand-forecast/cost" }),
    ];

    /// <summary>
    /// Creates the demo rules once per database: when any rule the demo authored is still there, a restart adds
    /// nothing, so a demo rule someone deleted stays deleted while its siblings live.
    /// </summary>
    public int Ensure()
    {
        if (rules.All().Any(r => r.CreatedBy == Author.Actor)) return 0;
        var created = 0;
        foreach (var spec in Specs)
        {
            var outcome = commands.Create(spec, Author);
            if (outcome.IsOk) created++;
            else logger.LogWarning("The demo could not create alert rule {Rule}: {Message}", spec.Name, outcome.Message);
        }
        if (created > 0) logger.LogInformation("Created {Count} demo alert rules; their alerts go to the built-in receiver unless notification settings say otherwise", created);
        return created;
    }

    private static ConditionSpec Threshold(string op, double value) => new("threshold", op, JsonSerializer.SerializeToElement(value));
}
