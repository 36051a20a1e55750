using System.Globalization;
using ModelWatch.Engine.Alerting;
using MudBlazor;

namespace ModelWatch.Portal.Components.Alerting;

/// <summary>How alerts read on screen: severity colours, section titles, values with their units.</summary>
public static class AlertFormat
{
    public static Color SeverityColor(string severity) => severity switch
    {
        "critical" => Color.Error,
        "warning" => Color.Warning,
        _ => Color.Info,
    };

    public static string SectionTitle(InboxSection section) => section switch
    {
        InboxSection.Firing => "Firing",
        InboxSection.Pending => "Pending",
        InboxSection.Acknowledged => "Acknowledged",
        InboxSection.Silenced => "Silenced",
        _ => "Recently resolved",
    };

    public static string SectionHint(InboxSection section) => section switch
    {
        InboxSection.Firing => "Nobody has acknowledged these yet.",
        InboxSection.Pending => "The condition holds but not yet for the rule's 'for' time.",
        InboxSection.Acknowledged => "Someone is on it: no escalation and no repeat notifications until they resolve.",
        InboxSection.Silenced => "A silence matches: shown here, notified to nobody.",
        _ => "Resolved in the last day.",
    };

    /// <summary>The value in the units of its threshold (shares stay 0–1, as rules are written), with ms and min where they apply.</summary>
    public static string Value(string signal, double? value) => value is not { } v || !double.IsFinite(v) ? "–" : signal switch
    {
        "latency" => v.ToString("F0", CultureInfo.InvariantCulture) + " ms",
        "cost" => v.ToString("G4", CultureInfo.InvariantCulture),
        "noData" => v.ToString("F0", CultureInfo.InvariantCulture) + " min",
        _ => v.ToString("G3", CultureInfo.InvariantCulture),
    };

    public static string Since(AlertRecord a) => a.Status == AlertRecord.Resolved ? "resolved" : a.Status == AlertRecord.Pending ? "pending since" : "firing since";
}
