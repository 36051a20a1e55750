using System.Text;

namespace ModelWatch.Engine.Alerting;

/// <summary>An alert email as the outbox keeps it: rendered once when queued, so a retry sends the same words.</summary>
public sealed record EmailMessage(IReadOnlyList<string> To, string Subject, string Body)
{
    public static EmailMessage From(WebhookMessage m, IReadOnlyList<string> to, string reason)
    {
        var firing = m.Alerts.Count(a => a.Status == "firing");
        var resolved = m.Alerts.Count - firing;
        var name = m.CommonLabels.GetValueOrDefault("alertname") ?? m.Alerts.FirstOrDefault()?.Labels.GetValueOrDefault("alertname") ?? "alerts";
        var model = m.CommonLabels.GetValueOrDefault("model");
        var prefix = reason == "escalation" ? "[ESCALATED] " : "";
        var subject = $"{prefix}[{m.Status.ToUpperInvariant()}{(firing > 0 ? $":{firing}" : "")}] {name}{(model is null ? "" : $" on {model}")}";
        var body = new StringBuilder();
        body.AppendLine($"{firing} firing, {resolved} resolved{(m.TruncatedAlerts > 0 ? $", {m.TruncatedAlerts} more not listed" : "")}.");
        body.AppendLine();
        foreach (var a in m.Alerts)
        {
            body.AppendLine($"{a.Status.ToUpperInvariant()}: {a.Labels.GetValueOrDefault("alertname")} on {a.Labels.GetValueOrDefault("model")}{(a.Labels.TryGetValue("feature", out var f) ? $" ({f})" : "")}");
            foreach (var (k, v) in a.Annotations) body.AppendLine($"  {k}: {v}");
            body.AppendLine($"  since: {a.StartsAt}{(a.Status == "resolved" ? $", ended {a.EndsAt}" : "")}");
            body.AppendLine($"  open: {a.GeneratorUrl}");
            body.AppendLine();
        }
        body.AppendLine($"Inbox: {m.ExternalUrl}");
        return new EmailMessage(to, subject, body.ToString());
    }
}
