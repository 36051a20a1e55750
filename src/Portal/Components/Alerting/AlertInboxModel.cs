using System.Text.Json;
using Microsoft.Extensions.Options;
using ModelWatch.Engine;
using ModelWatch.Engine.Access;
using ModelWatch.Engine.Alerting;
using ModelWatch.Portal.Components.ViewModels;

namespace ModelWatch.Portal.Components.Alerting;

/// <summary>The inbox's sections, in the order a person works through them.</summary>
public enum InboxSection { Firing, Pending, Acknowledged, Silenced, Resolved }

/// <summary>One alert as the inbox shows it.</summary>
public sealed record InboxAlert(AlertRecord Alert, InboxSection Section, IReadOnlyList<string> SilencedBy, bool SystemSignal)
{
    public string? Summary => Alert.Annotations.GetValueOrDefault("summary");
    public string? Runbook => Alert.Annotations.GetValueOrDefault("runbook_url");
}

/// <summary>A notification the built-in receiver kept, as one line: what it said about which alerts.</summary>
public sealed record InboxDelivery(long Id, DateTimeOffset At, string Status, string Receiver, string Reason, string DeliveryStatus, IReadOnlyList<string> AlertNames, string? Summary);

/// <summary>Everything the inbox shows for one viewer.</summary>
public sealed record Inbox(IReadOnlyList<InboxAlert> Alerts, IReadOnlyList<InboxDelivery> Deliveries)
{
    public IReadOnlyList<InboxAlert> In(InboxSection section) => Alerts.Where(a => a.Section == section).ToList();

    public int Firing => Alerts.Count(a => a.Section == InboxSection.Firing);
}

/// <summary>
/// Reads the inbox for a caller and acts on alerts. Visibility and permission are the engine's (AlertCommands), the
/// same checks the HTTP API runs, so the page and the API cannot disagree on who may see or acknowledge what.
/// </summary>
public sealed class AlertInboxModel(AlertStore alerts, AlertCommands commands, SilenceStore silences, DeliveryStore deliveries, TimeProvider clock, IOptions<AlertingOptions> options)
{
    public const int DeliveriesShown = 20;
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private static readonly string[] SeverityOrder = ["critical", "warning", "info"];

    public Inbox Load(Caller caller, ViewKind view)
    {
        var now = clock.GetUtcNow();
        var current = silences.Current();
        var visible = alerts.List(new AlertFilter(ResolvedSince: now - TimeSpan.FromHours(options.Value.ResolvedInboxHours)))
            .Where(a => commands.CanRead(a, caller))
            .Select(a =>
            {
                var silencedBy = current.Where(s => s.Silences(a, now)).Select(s => s.Id).ToList();
                return new InboxAlert(a, SectionOf(a, silencedBy.Count > 0), silencedBy, AlertSignals.Find(a.Signal)?.Group == AlertSignals.System);
            });
        // The viewer's concern first inside each section: ops see latency, errors, throughput and cost; data scientists drift, performance and quality.
        var ordered = visible
            .OrderBy(a => a.Section)
            .ThenBy(a => a.SystemSignal == (view == ViewKind.Operations) ? 0 : 1)
            .ThenBy(a => Array.IndexOf(SeverityOrder, a.Alert.Severity) is var i and >= 0 ? i : SeverityOrder.Length)
            .ThenByDescending(a => a.Section == InboxSection.Resolved ? a.Alert.EndsAt : a.Alert.StartsAt ?? a.Alert.CreatedAt)
            .ToList();
        return new Inbox(ordered, Deliveries(caller));
    }

    public Outcome<AlertRecord> Acknowledge(long id, string? comment, Caller caller) => commands.Acknowledge(id, Clean(comment), caller);

    public Outcome<AlertRecord> Resolve(long id, string? comment, Caller caller) => commands.Resolve(id, Clean(comment), caller);

    /// <summary>What the built-in receiver kept, for the caller's teams (everything for those who read everything), as the deliveries API lists it.</summary>
    private IReadOnlyList<InboxDelivery> Deliveries(Caller caller)
    {
        var list = caller.ReadsEverything
            ? deliveries.Recent(Receiver.Builtin, null, DeliveriesShown)
            : deliveries.RecentForTeams(Receiver.Builtin, caller.Teams.ToList(), DeliveriesShown);
        return list.Select(d => Describe(d.Delivery)).ToList();
    }

    internal static InboxDelivery Describe(Delivery d)
    {
        WebhookMessage? message = null;
        try { message = JsonSerializer.Deserialize<WebhookMessage>(d.Payload, Json); }
        catch (JsonException) { /* an unreadable payload still shows its receiver, status and time */ }
        var names = message?.Alerts.Select(a => a.Labels.GetValueOrDefault("alertname") ?? "?").Distinct().ToList() ?? [];
        var summary = message?.CommonAnnotations.GetValueOrDefault("summary") ?? message?.Alerts.FirstOrDefault()?.Annotations.GetValueOrDefault("summary");
        return new InboxDelivery(d.Id, d.SentAt ?? d.CreatedAt, message?.Status ?? "?", d.Receiver, d.Reason, d.Status, names, summary);
    }

    private static InboxSection SectionOf(AlertRecord a, bool silenced) => a.Status switch
    {
        AlertRecord.Resolved => InboxSection.Resolved,
        _ when a.AcknowledgedBy is not null => InboxSection.Acknowledged,
        _ when silenced => InboxSection.Silenced,
        AlertRecord.Pending => InboxSection.Pending,
        _ => InboxSection.Firing,
    };

    private static string? Clean(string? comment) => string.IsNullOrWhiteSpace(comment) ? null : comment.Trim();
}
