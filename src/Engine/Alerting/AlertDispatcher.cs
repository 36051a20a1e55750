using System.Text.Json;
using Microsoft.Extensions.Options;
using ModelWatch.Engine.Audit;
using ModelWatch.Engine.Registry;

namespace ModelWatch.Engine.Alerting;

/// <summary>What one dispatch round queued.</summary>
public sealed record DispatchReport(int Groups, int Notifications, int Escalations);

/// <summary>
/// Alertmanager's pipeline over the alert table: route each firing alert to its owner team's settings (or the admins'
/// defaults), aggregate by groupBy, flush a group after group_wait, then every group_interval when its alerts changed,
/// or after repeat_interval while unacknowledged alerts still fire. Silenced alerts are left out of notifications.
/// Unacknowledged alerts past escalateAfterMinutes notify the model's escalation contact once. Everything queued goes
/// to the outbox in the same transaction that records the group's new state.
/// </summary>
public sealed class AlertDispatcher(
    AlertStore alerts, DeliveryStore deliveries, NotificationSettingsStore settingsStore, SilenceStore silences, OwnershipStore ownership,
    AuditLog audit, PortalLinks links, TimeProvider clock, IOptions<AlertingOptions> options)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly Lock _gate = new();

    public DispatchReport Dispatch()
    {
        lock (_gate) return DispatchLocked();
    }

    /// <summary>The settings that apply to a team's alerts: its own, else the admins' defaults, else the built-in receiver.</summary>
    public (string Scope, NotificationSettings Settings) Route(string? team, IReadOnlyDictionary<string, NotificationSettings> all)
    {
        if (team is not null && all.TryGetValue(team, out var own)) return (team, own);
        return (NotificationSettings.DefaultScope, all.GetValueOrDefault(NotificationSettings.DefaultScope) ?? NotificationSettings.Default);
    }

    private DispatchReport DispatchLocked()
    {
        var now = clock.GetUtcNow();
        var o = options.Value;
        var allSettings = settingsStore.All();
        var activeSilences = silences.Current();
        var contacts = ownership.All().ToDictionary(x => x.Model);
        // One transaction through the audit log: escalation entries and the outbox rows are stored together or not at all.
        return audit.Write(scope => Round(scope, now, o, allSettings, activeSilences, contacts));
    }

    private DispatchReport Round(AuditScope scope, DateTimeOffset now, AlertingOptions o, Dictionary<string, NotificationSettings> allSettings,
        IReadOnlyList<Silence> activeSilences, Dictionary<string, ModelOwnership> contacts)
    {
        var notifications = 0;
        var escalations = 0;
        var connection = scope.Connection;
        var transaction = scope.Transaction;
        var firing = alerts.List(connection, transaction, new AlertFilter(AlertRecord.Firing, Limit: 100_000));
        bool Silenced(AlertRecord a) => activeSilences.Any(s => s.Silences(a, now));

        // Aggregate: every firing alert joins the group its labels put it in.
        foreach (var alert in firing)
        {
            var (route, settings) = Route(alert.TeamId, allSettings);
            var groupLabels = GroupLabels(alert, settings);
            AlertGroupStore.Add(connection, transaction, WebhookPayload.GroupKey(route, groupLabels), route, groupLabels, alert.Id, now,
                now + TimeSpan.FromSeconds(settings.GroupWaitSeconds));
        }

        var groups = AlertGroupStore.Groups(connection, transaction);
        var members = AlertGroupStore.Members(connection, transaction);
        var byId = new Dictionary<long, AlertRecord>();
        foreach (var a in firing) byId[a.Id] = a;
        foreach (var group in groups.Values)
        {
            if (group.NextFlushAt > now) continue;
            var settings = group.Scope == NotificationSettings.DefaultScope
                ? allSettings.GetValueOrDefault(NotificationSettings.DefaultScope) ?? NotificationSettings.Default
                : allSettings.GetValueOrDefault(group.Scope) ?? allSettings.GetValueOrDefault(NotificationSettings.DefaultScope) ?? NotificationSettings.Default;
            var groupAlerts = members[group.GroupKey].Select(id => byId.GetValueOrDefault(id) ?? alerts.Find(connection, transaction, id)).OfType<AlertRecord>().ToList();
            var firingNow = groupAlerts.Where(a => a.Status == AlertRecord.Firing && !Silenced(a)).ToList();
            var resolvedNow = groupAlerts.Where(a => a.Status == AlertRecord.Resolved && !Silenced(a)).ToList();
            var last = group.LastSent;
            var firingSet = firingNow.Select(a => a.Fingerprint).ToHashSet();
            var resolvedSet = resolvedNow.Select(a => a.Fingerprint).Where(f => last?.Firing.Contains(f) == true).ToHashSet();
            var repeatDue = group.LastSentAt is { } sent && now - sent >= TimeSpan.FromSeconds(settings.RepeatIntervalSeconds) && firingNow.Any(a => a.AcknowledgedBy is null);
            var needs = last is null
                ? firingSet.Count > 0
                : !firingSet.IsSubsetOf(last.Firing)
                  || (settings.SendResolved && !resolvedSet.IsSubsetOf(last.Resolved))
                  || (settings.SendResolved && last.Firing.Count > 0 && firingSet.Count == 0 && resolvedSet.Count > 0)
                  || repeatDue;
            var next = now + TimeSpan.FromSeconds(settings.GroupIntervalSeconds);
            if (needs)
            {
                var payloadAlerts = firingNow.Concat(settings.SendResolved ? resolvedNow.Where(a => resolvedSet.Contains(a.Fingerprint)) : []).ToList();
                if (payloadAlerts.Count > 0)
                {
                    var reason = repeatDue && last is not null && firingSet.IsSubsetOf(last.Firing) && resolvedSet.IsSubsetOf(last.Resolved) ? "repeat"
                        : firingSet.Count > 0 ? "firing" : "resolved";
                    foreach (var receiver in settings.Receivers)
                        deliveries.Enqueue(connection, transaction, Render(group.GroupKey, group.Scope, receiver, group.GroupLabels, payloadAlerts, reason, contacts, o), now, now + TimeSpan.FromHours(o.MaxDeliveryHours));
                    notifications++;
                }
                AlertGroupStore.Flushed(connection, transaction, group.GroupKey, next, now, new GroupDigest([.. firingSet], [.. resolvedSet]));
            }
            else
            {
                // Alerts that left the notifiable set (silenced) count as new when they come back, as in Alertmanager.
                var kept = last is null ? null : new GroupDigest(last.Firing.Where(firingSet.Contains).ToList(), last.Resolved);
                AlertGroupStore.Flushed(connection, transaction, group.GroupKey, next, group.LastSentAt, kept);
            }
            foreach (var done in groupAlerts.Where(a => a.Status == AlertRecord.Resolved)) AlertGroupStore.Remove(connection, transaction, group.GroupKey, done.Id);
            foreach (var gone in members[group.GroupKey].Where(id => groupAlerts.All(a => a.Id != id))) AlertGroupStore.Remove(connection, transaction, group.GroupKey, gone);
            if (groupAlerts.All(a => a.Status == AlertRecord.Resolved)) AlertGroupStore.Delete(connection, transaction, group.GroupKey);
        }

        // Escalation: once per alert, when nobody acknowledged it in time.
        foreach (var alert in firing)
        {
            var (route, settings) = Route(alert.TeamId, allSettings);
            if (settings.EscalateAfterMinutes is not { } minutes || alert.AcknowledgedBy is not null || alert.EscalatedAt is not null || Silenced(alert)) continue;
            if (now - (alert.StartsAt ?? alert.CreatedAt) < TimeSpan.FromMinutes(minutes)) continue;
            var contact = contacts.GetValueOrDefault(alert.ModelId)?.Escalation;
            var key = WebhookPayload.GroupKey(route, GroupLabels(alert, settings)) + "/escalation";
            var targets = EscalationReceivers(contact, settings);
            foreach (var receiver in targets)
                deliveries.Enqueue(connection, transaction, Render(key, route, receiver, new Dictionary<string, string> { ["alertname"] = alert.RuleName }, [alert], "escalation", contacts, o),
                    now, now + TimeSpan.FromHours(o.MaxDeliveryHours));
            alerts.MarkEscalatedAt(connection, transaction, alert.Id, now);
            scope.Record(new NewAuditEntry("system:alerting", AlertAuditActions.Escalated, alert.TeamId, alert.ModelId,
                After: new { alert = alert.Id, alert.RuleName, contact, afterMinutes = minutes }));
            escalations++;
        }
        return new DispatchReport(groups.Count, notifications, escalations);
    }

    /// <summary>An email address or URL as contact gets its own receiver; anything else (a name, a rota) is named to the team's receivers.</summary>
    private static IReadOnlyList<Receiver> EscalationReceivers(string? contact, NotificationSettings settings)
    {
        if (contact is not null && NotificationSettings.IsAddress(contact) && !contact.Contains("://")) return [new Receiver("escalation", Receiver.Email, null, [contact])];
        if (contact is not null && Uri.TryCreate(contact, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https") return [new Receiver("escalation", Receiver.Webhook, contact, [])];
        return settings.Receivers;
    }

    private static Dictionary<string, string> GroupLabels(AlertRecord alert, NotificationSettings settings)
    {
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in settings.GroupBy)
            if (alert.Labels.TryGetValue(name, out var value)) labels[name] = value;
        return labels;
    }

    private NewDelivery Render(string groupKey, string scope, Receiver receiver, IReadOnlyDictionary<string, string> groupLabels, IReadOnlyList<AlertRecord> list,
        string reason, IReadOnlyDictionary<string, ModelOwnership> contacts, AlertingOptions o)
    {
        var annotated = list.Select(a => WithContacts(a, contacts.GetValueOrDefault(a.ModelId), reason)).ToList();
        var message = WebhookPayload.Build(groupKey, receiver.Name, groupLabels, annotated, links, o.MaxAlertsPerNotification);
        var ids = list.Select(a => a.Id).ToList();
        return receiver.Type switch
        {
            Receiver.Email => new NewDelivery(groupKey, scope, receiver.Name, Receiver.Email, string.Join(", ", receiver.To), reason,
                JsonSerializer.Serialize(EmailMessage.From(message, receiver.To, reason), Json), ids),
            Receiver.Webhook => new NewDelivery(groupKey, scope, receiver.Name, Receiver.Webhook, receiver.Url!, reason, JsonSerializer.Serialize(message), ids),
            _ => new NewDelivery(groupKey, scope, receiver.Name, Receiver.Builtin, "portal", reason, JsonSerializer.Serialize(message), ids),
        };
    }

    /// <summary>The on-call contact goes into every notification, the escalation contact into escalations.</summary>
    private static AlertRecord WithContacts(AlertRecord alert, ModelOwnership? owner, string reason)
    {
        var annotations = new SortedDictionary<string, string>(alert.Annotations.ToDictionary(), StringComparer.Ordinal);
        if (owner?.OnCall is { } onCall) annotations["on_call"] = onCall;
        if (reason == "escalation") annotations["escalation"] = owner?.Escalation is { } e ? $"Not acknowledged in time; escalated to {e}." : "Not acknowledged in time; the model has no escalation contact.";
        return alert with { Annotations = annotations };
    }
}
