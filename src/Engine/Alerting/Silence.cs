using System.Text.RegularExpressions;

namespace ModelWatch.Engine.Alerting;

public sealed record MatcherSpec(string? Label = null, string? Op = null, string? Value = null);

/// <summary>POST /api/v1/silences as clients send it.</summary>
public sealed record SilenceSpec(List<MatcherSpec>? Matchers = null, DateTimeOffset? StartsAt = null, DateTimeOffset? EndsAt = null, string? Comment = null);

/// <summary>Alertmanager's matchers: =, !=, =~ and !~ (regular expressions anchored at both ends).</summary>
public sealed record Matcher(string Label, string Op, string Value)
{
    private Regex? _regex;

    public bool Matches(IReadOnlyDictionary<string, string> labels)
    {
        var actual = labels.GetValueOrDefault(Label) ?? "";
        return Op switch
        {
            "=" => actual == Value,
            "!=" => actual != Value,
            "=~" => Regex().IsMatch(actual),
            _ => !Regex().IsMatch(actual),
        };
    }

    private Regex Regex() => _regex ??= new Regex($"^(?:{Value})$", RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(50));
}

/// <summary>A silence; Team is set when a team member (not an admin) made it, and then it only silences that team's alerts.</summary>
public sealed record Silence(string Id, IReadOnlyList<Matcher> Matchers, DateTimeOffset StartsAt, DateTimeOffset EndsAt, string Comment, string? Team,
    string CreatedBy, DateTimeOffset CreatedAt, string? ExpiredBy)
{
    public string Status(DateTimeOffset now) => now < StartsAt ? "pending" : now < EndsAt ? "active" : "expired";

    /// <summary>An admin's silence (no team) may cover anyone's alerts, so everyone sees it; a team's silence is seen by that team.</summary>
    public bool VisibleTo(Access.Caller caller) => caller.ReadsEverything || Team is null || caller.Teams.Contains(Team);

    public bool Silences(AlertRecord alert, DateTimeOffset now) =>
        Status(now) == "active" && (Team is null || alert.TeamId == Team) && Matchers.All(m => m.Matches(alert.Labels));

    public static Outcome<(IReadOnlyList<Matcher> Matchers, DateTimeOffset StartsAt, DateTimeOffset EndsAt, string Comment)> Validate(SilenceSpec spec, DateTimeOffset now)
    {
        var errors = new List<FieldError>();
        var matchers = new List<Matcher>();
        if (spec.Matchers is null || spec.Matchers.Count == 0) errors.Add(new("matchers", "Give at least one matcher, e.g. { \"label\": \"model\", \"op\": \"=\", \"value\": \"fraud-detector\" }."));
        else if (spec.Matchers.Count > 20) errors.Add(new("matchers", "At most 20 matchers."));
        else
            for (var i = 0; i < spec.Matchers.Count; i++)
            {
                var m = spec.Matchers[i];
                if (string.IsNullOrWhiteSpace(m.Label) || m.Label.Length > 64) { errors.Add(new($"matchers[{i}].label", "Each matcher needs a 'label' name.", i)); continue; }
                if (m.Op is not ("=" or "!=" or "=~" or "!~")) { errors.Add(new($"matchers[{i}].op", $"Unknown operator '{m.Op}'. Use =, !=, =~ or !~.", i)); continue; }
                if (m.Value is null || m.Value.Length > 500) { errors.Add(new($"matchers[{i}].value", "Each matcher needs a 'value' (at most 500 characters).", i)); continue; }
                if (m.Op is "=~" or "!~")
                {
                    try { _ = new Regex(m.Value, RegexOptions.None, TimeSpan.FromMilliseconds(50)); }
                    catch (ArgumentException e) { errors.Add(new($"matchers[{i}].value", $"Not a regular expression: {e.Message}", i)); continue; }
                }
                matchers.Add(new Matcher(m.Label.Trim(), m.Op, m.Value));
            }
        var startsAt = spec.StartsAt ?? now;
        if (spec.EndsAt is not { } endsAt) { errors.Add(new("endsAt", "'endsAt' is required (ISO 8601), after startsAt.")); endsAt = now; }
        else if (endsAt <= startsAt) errors.Add(new("endsAt", "'endsAt' must be after 'startsAt'."));
        else if (endsAt <= now) errors.Add(new("endsAt", "'endsAt' is in the past; a silence must end in the future."));
        else if (endsAt - startsAt > TimeSpan.FromDays(90)) errors.Add(new("endsAt", "A silence lasts at most 90 days."));
        var comment = spec.Comment?.Trim();
        if (string.IsNullOrEmpty(comment) || comment.Length > 2000) errors.Add(new("comment", "'comment' is required (at most 2000 characters): say why the alerts are silenced."));
        if (errors.Count > 0) return Outcome<(IReadOnlyList<Matcher>, DateTimeOffset, DateTimeOffset, string)>.Invalid(errors, errors.Count == 1 ? errors[0].Reason : $"The silence has {errors.Count} invalid fields.");
        return Outcome<(IReadOnlyList<Matcher>, DateTimeOffset, DateTimeOffset, string)>.Ok((matchers, startsAt, endsAt, comment!));
    }
}
