using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using ModelWatch.Engine;
using ModelWatch.Engine.Live;
using ModelWatch.Engine.Registry;
using ModelWatch.Engine.Retention;
using ModelWatch.Engine.Windows;

namespace ModelWatch.Portal.Api;

/// <summary>A model's monitoring summary and timeline over a window: the objects the panels and the hub carry.</summary>
public static class SummaryApi
{
    public static RouteGroupBuilder MapSummaryApi(this RouteGroupBuilder api)
    {
        api.MapGet("/models/{id}/summary", GetSummary).WithName("GetSummary")
            .WithSummary("Drift, data quality, performance, latency, throughput, errors and cost over a window (5m, 1h, 24h, 7d, 30d, 90d) or any range (?from=&to=, ISO 8601).");
        api.MapGet("/models/{id}/timeline", GetTimeline).WithName("GetTimeline")
            .WithSummary("The same figures per step across the window, for charts.");
        return api;
    }

    private static Results<Ok<ModelSummary>, ProblemHttpResult> GetSummary(string id, string? window, string? version, string? from, string? to, HttpContext context,
        ApiCaller callers, ISummaryReader summaries, SummaryService ranges, IOptions<RetentionOptions> retention, TimeProvider clock)
    {
        var (model, chosen, problem) = Resolve(id, window, version, context, callers);
        if (problem is not null) return problem;
        if (Range(window, from, to, retention.Value, clock) is var (range, rangeProblem) && rangeProblem is not null) return rangeProblem;
        var summary = range is { } r ? ranges.GetSummary(model!.Id, r.From, r.To, version) : summaries.GetSummary(model!.Id, chosen, version);
        return summary is null ? Problems.NotFound($"Model '{id}' has no version '{version}'.") : TypedResults.Ok(summary);
    }

    private static Results<Ok<ModelTimeline>, ProblemHttpResult> GetTimeline(string id, string? window, string? version, string? from, string? to, HttpContext context,
        ApiCaller callers, ISummaryReader summaries, SummaryService ranges, IOptions<RetentionOptions> retention, TimeProvider clock)
    {
        var (model, chosen, problem) = Resolve(id, window, version, context, callers);
        if (problem is not null) return problem;
        if (Range(window, from, to, retention.Value, clock) is var (range, rangeProblem) && rangeProblem is not null) return rangeProblem;
        var timeline = range is { } r ? ranges.GetTimeline(model!.Id, r.From, r.To, version) : summaries.GetTimeline(model!.Id, chosen, version);
        return timeline is null ? Problems.NotFound($"Model '{id}' has no version '{version}'.") : TypedResults.Ok(timeline);
    }

    /// <summary>A custom range from ?from=&amp;to= (ISO 8601), null when neither is given, or the problem with it.</summary>
    internal static ((DateTimeOffset From, DateTimeOffset To)? Range, ProblemHttpResult? Problem) Range(string? window, string? from, string? to, RetentionOptions retention, TimeProvider clock)
    {
        if (from is null && to is null) return (null, null);
        var errors = new List<FieldError>();
        if (!string.IsNullOrEmpty(window)) errors.Add(new("window", "give either 'window' or 'from' and 'to', not both"));
        var start = Parse(from, "from", errors);
        var end = Parse(to, "to", errors);
        if (start is { } s && end is { } e)
        {
            if (e <= s) errors.Add(new("to", $"must be after 'from' ({s:O})"));
            else if (e - s > TimeSpan.FromDays(retention.DayDays)) errors.Add(new("from", $"the range may span at most {retention.DayDays} days, the day tier's retention (Portal:Retention:DayDays)"));
            if (s > clock.GetUtcNow()) errors.Add(new("from", "lies in the future: nothing is stored there yet"));
        }
        return errors.Count == 0
            ? ((start!.Value, end!.Value), null)
            : (null, Problems.BadRequest("The range is not usable: " + string.Join("; ", errors.Select(x => $"{x.Field} {x.Reason}")) + ". Example: ?from=2026-11-01T00:00:00Z&to=2026-11-08T00:00:00Z.", errors));
    }

    private static DateTimeOffset? Parse(string? value, string field, List<FieldError> errors)
    {
        if (string.IsNullOrEmpty(value)) { errors.Add(new(field, "is required with a range (ISO 8601, e.g. 2026-11-01T00:00:00Z)")); return null; }
        if (DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed)) return parsed;
        errors.Add(new(field, $"'{value}' is not an ISO 8601 time (e.g. 2026-11-01T00:00:00Z)"));
        return null;
    }

    internal static (ModelDefinition? Model, SummaryWindow Window, ProblemHttpResult? Problem) Resolve(string id, string? window, string? version, HttpContext context, ApiCaller callers)
    {
        if (!SummaryWindows.TryParse(window, out var chosen))
            return (null, chosen, Problems.BadRequest($"'window' must be one of 5m, 1h, 24h, 7d, 30d, 90d (got '{window}'), or give ?from=&to= instead.", [new("window", "unknown window")]));
        var (_, model, problem) = callers.Model(context, id, write: false);
        if (model is null) return (null, chosen, problem);
        if (!string.IsNullOrEmpty(version) && !model.VersionKeys.ContainsKey(version))
            return (null, chosen, Problems.NotFound($"Model '{id}' has no version '{version}'. Known versions: {string.Join(", ", model.VersionKeys.Keys)}."));
        return (model, chosen, null);
    }
}
