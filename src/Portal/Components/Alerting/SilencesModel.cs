using ModelWatch.Engine;
using ModelWatch.Engine.Access;
using ModelWatch.Engine.Alerting;

namespace ModelWatch.Portal.Components.Alerting;

/// <summary>The silences a viewer sees, split as the page lists them.</summary>
public sealed record SilenceList(IReadOnlyList<Silence> Active, IReadOnlyList<Silence> Upcoming, IReadOnlyList<Silence> Ended);

/// <summary>One matcher row of the silence form.</summary>
public sealed class MatcherInput
{
    public string Label { get; set; } = "model";
    public string Op { get; set; } = "=";
    public string Value { get; set; } = "";
}

/// <summary>Lists, adds and expires silences for a caller; who may do what is the SilenceStore's rule, the one the API obeys.</summary>
public sealed class SilencesModel(SilenceStore silences, TimeProvider clock)
{
    public static readonly IReadOnlyList<string> CommonLabels = ["model", "team", "alertname", "severity", "signal", "feature"];
    public static readonly IReadOnlyList<string> Operators = ["=", "!=", "=~", "!~"];

    public SilenceList List(Caller caller)
    {
        var now = clock.GetUtcNow();
        var visible = silences.Recent().Where(s => s.VisibleTo(caller)).ToList();
        return new SilenceList(
            visible.Where(s => s.Status(now) == "active").OrderBy(s => s.EndsAt).ToList(),
            visible.Where(s => s.Status(now) == "pending").OrderBy(s => s.StartsAt).ToList(),
            visible.Where(s => s.Status(now) == "expired").OrderByDescending(s => s.EndsAt).ToList());
    }

    /// <summary>Starts now (or at startsAt) and lasts the given hours.</summary>
    public Outcome<Silence> Add(IEnumerable<MatcherInput> matchers, DateTimeOffset? startsAt, double? hours, string? comment, Caller caller)
    {
        var start = startsAt ?? clock.GetUtcNow();
        if (hours is not { } h || h <= 0 || h > 90 * 24)
            return Outcome<Silence>.Invalid("hours", "Give how long the silence lasts, in hours: more than 0 and at most 2160 (90 days).");
        var spec = new SilenceSpec(matchers.Select(m => new MatcherSpec(m.Label.Trim(), m.Op, m.Value)).ToList(), start, start + TimeSpan.FromHours(h), comment);
        return silences.Add(spec, caller);
    }

    /// <summary>Another team's silence answers as unknown, as the API does.</summary>
    public Outcome<Silence> Expire(string id, Caller caller)
    {
        var silence = silences.Find(id);
        if (silence is null || !silence.VisibleTo(caller)) return Outcome<Silence>.NotFound($"There is no silence '{id}' you may see.");
        return silences.ExpireSilence(id, caller);
    }

    /// <summary>Whether to offer the expire button; the store decides again when pressed.</summary>
    public static bool MayExpire(Silence s, Caller caller) =>
        !caller.IsReadOnly && (caller.IsAdmin || s.CreatedBy == caller.Actor || (s.Team is { } t && caller.Teams.Contains(t)));
}
