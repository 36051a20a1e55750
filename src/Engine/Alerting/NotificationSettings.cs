namespace ModelWatch.Engine.Alerting;

public sealed record ReceiverSpec(string? Name = null, string? Type = null, string? Url = null, List<string>? To = null);

/// <summary>PUT /api/v1/teams/{id}/notifications (and /api/v1/notifications for the admins' defaults) as clients send it.</summary>
public sealed record NotificationSettingsSpec(
    List<ReceiverSpec>? Receivers = null,
    List<string>? GroupBy = null,
    int? GroupWaitSeconds = null,
    int? GroupIntervalSeconds = null,
    int? RepeatIntervalSeconds = null,
    int? EscalateAfterMinutes = null,
    bool? SendResolved = null);

/// <summary>webhook (url), email (to) or builtin (kept in the portal, listed on the alerts page).</summary>
public sealed record Receiver(string Name, string Type, string? Url, IReadOnlyList<string> To)
{
    public const string Webhook = "webhook";
    public const string Email = "email";
    public const string Builtin = "builtin";
}

/// <summary>Where a team's alerts go and how they are grouped, as Alertmanager's route has it.</summary>
public sealed record NotificationSettings(
    IReadOnlyList<Receiver> Receivers,
    IReadOnlyList<string> GroupBy,
    int GroupWaitSeconds,
    int GroupIntervalSeconds,
    int RepeatIntervalSeconds,
    int? EscalateAfterMinutes,
    bool SendResolved)
{
    /// <summary>The admins' defaults until someone sets them: the built-in receiver, so that no alert goes nowhere.</summary>
    public static readonly NotificationSettings Default = new([new Receiver("portal", Receiver.Builtin, null, [])], ["model", "alertname"], 30, 300, 14400, null, true);

    public const string DefaultScope = "*";

    public static Outcome<NotificationSettings> Validate(NotificationSettingsSpec spec)
    {
        var errors = new List<FieldError>();
        var receivers = new List<Receiver>();
        if (spec.Receivers is null || spec.Receivers.Count == 0) errors.Add(new("receivers", "Give at least one receiver, e.g. { \"name\": \"ops-hook\", \"type\": \"webhook\", \"url\": \"https://…\" }."));
        else if (spec.Receivers.Count > 10) errors.Add(new("receivers", "At most 10 receivers."));
        else
            for (var i = 0; i < spec.Receivers.Count; i++)
            {
                var r = spec.Receivers[i];
                var field = $"receivers[{i}]";
                var name = r.Name?.Trim();
                if (string.IsNullOrEmpty(name) || name.Length > 100) { errors.Add(new($"{field}.name", "Each receiver needs a 'name' (at most 100 characters).", i)); continue; }
                if (receivers.Any(x => x.Name == name)) { errors.Add(new($"{field}.name", $"Receiver name '{name}' is used twice.", i)); continue; }
                switch (r.Type)
                {
                    case Receiver.Webhook:
                        if (!Uri.TryCreate(r.Url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || r.Url!.Length > 2000)
                            errors.Add(new($"{field}.url", $"Webhook receiver '{name}' needs an absolute http(s) 'url' (got '{r.Url}').", i));
                        else receivers.Add(new Receiver(name, Receiver.Webhook, r.Url, []));
                        break;
                    case Receiver.Email:
                        var to = r.To?.Select(t => t?.Trim() ?? "").ToList() ?? [];
                        if (to.Count is 0 or > 20 || to.Any(t => !IsAddress(t)))
                            errors.Add(new($"{field}.to", $"Email receiver '{name}' needs 'to': 1 to 20 addresses such as oncall@example.com.", i));
                        else receivers.Add(new Receiver(name, Receiver.Email, null, to));
                        break;
                    case Receiver.Builtin:
                        receivers.Add(new Receiver(name, Receiver.Builtin, null, []));
                        break;
                    default:
                        errors.Add(new($"{field}.type", $"Unknown receiver type '{r.Type}'. Use webhook, email or builtin.", i));
                        break;
                }
            }
        var groupBy = (spec.GroupBy ?? [.. Default.GroupBy]).Select(g => g == "rule" ? "alertname" : g).Distinct().ToList();
        if (groupBy.Count > 10 || groupBy.Any(g => string.IsNullOrWhiteSpace(g) || g.Length > 64)) errors.Add(new("groupBy", "'groupBy' lists at most 10 label names, e.g. [\"model\", \"rule\"]."));
        var wait = spec.GroupWaitSeconds ?? Default.GroupWaitSeconds;
        var interval = spec.GroupIntervalSeconds ?? Default.GroupIntervalSeconds;
        var repeat = spec.RepeatIntervalSeconds ?? Default.RepeatIntervalSeconds;
        if (wait is < 0 or > 86_400) errors.Add(new("groupWaitSeconds", "'groupWaitSeconds' is between 0 and 86400 (default 30)."));
        if (interval is < 1 or > 86_400) errors.Add(new("groupIntervalSeconds", "'groupIntervalSeconds' is between 1 and 86400 (default 300)."));
        if (repeat < interval || repeat > 30 * 86_400) errors.Add(new("repeatIntervalSeconds", $"'repeatIntervalSeconds' is at least groupIntervalSeconds ({interval}) and at most 2592000 (default 14400)."));
        if (spec.EscalateAfterMinutes is < 1 or > 10_080) errors.Add(new("escalateAfterMinutes", "'escalateAfterMinutes' is between 1 and 10080, or left out for no escalation."));
        if (errors.Count > 0) return Outcome<NotificationSettings>.Invalid(errors, errors.Count == 1 ? errors[0].Reason : $"The notification settings have {errors.Count} invalid fields.");
        return Outcome<NotificationSettings>.Ok(new NotificationSettings(receivers, groupBy, wait, interval, repeat, spec.EscalateAfterMinutes, spec.SendResolved ?? true));
    }

    public NotificationSettingsSpec ToSpec() => new(
        Receivers.Select(r => new ReceiverSpec(r.Name, r.Type, r.Url, r.To.Count == 0 ? null : [.. r.To])).ToList(),
        [.. GroupBy], GroupWaitSeconds, GroupIntervalSeconds, RepeatIntervalSeconds, EscalateAfterMinutes, SendResolved);

    public static bool IsAddress(string text) => text.Length is > 2 and <= 254 && text.IndexOf('@') is > 0 and var at && at < text.Length - 1 && !text.Any(char.IsWhiteSpace);
}
