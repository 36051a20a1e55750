using Microsoft.AspNetCore.Http.HttpResults;
using ModelWatch.Engine.Live;
using ModelWatch.Engine.Windows;

namespace ModelWatch.Portal.Api;

/// <summary>A model's monitoring summary and timeline over a window: the objects the panels and the hub carry.</summary>
public static class SummaryApi
{
    public static RouteGroupBuilder MapSummaryApi(this RouteGroupBuilder api)
    {
        api.MapGet("/models/{id}/summary", GetSummary).WithName("GetSummary")
            .WithSummary("Drift, data quality, performance, latency, throughput, errors and cost over a window (5m, 1h, 24h, 7d).");
        api.MapGet("/models/{id}/timeline", GetTimeline).WithName("GetTimeline")
            .WithSummary("The same figures per step across the window, for charts.");
        return api;
    }

    private static Results<Ok<ModelSummary>, ProblemHttpResult> GetSummary(string id, string? window, string? version, HttpContext context, ApiCaller callers, ISummaryReader summaries)
    {
        var (model, chosen, problem) = Resolve(id, window, version, context, callers);
        if (problem is not null) return problem;
        var summary = summaries.GetSummary(model!, chosen, version);
        return summary is null ? Problems.NotFound($"Model '{id}' has no version '{version}'.") : TypedResults.Ok(summary);
    }

    private static Results<Ok<ModelTimeline>, ProblemHttpResult> GetTimeline(string id, string? window, string? version, HttpContext context, ApiCaller callers, ISummaryReader summaries)
    {
        var (model, chosen, problem) = Resolve(id, window, version, context, callers);
        if (problem is not null) return problem;
        var timeline = summaries.GetTimeline(model!, chosen, version);
        return timeline is null ? Problems.NotFound($"Model '{id}' has no version '{version}'.") : TypedResults.Ok(timeline);
    }

    private static (string? Model, SummaryWindow Window, ProblemHttpResult? Problem) Resolve(string id, string? window, string? version, HttpContext context, ApiCaller callers)
    {
        if (!SummaryWindows.TryParse(window, out var chosen))
            return (null, chosen, Problems.BadRequest($"'window' must be one of 5m, 1h, 24h, 7d (got '{window}').", [new("window", "unknown window")]));
        var (_, model, problem) = callers.Model(context, id, write: false);
        if (model is null) return (null, chosen, problem);
        if (!string.IsNullOrEmpty(version) && !model.VersionKeys.ContainsKey(version))
            return (null, chosen, Problems.NotFound($"Model '{id}' has no version '{version}'. Known versions: {string.Join(", ", model.VersionKeys.Keys)}."));
        return (model.Id, chosen, null);
    }
}
